use super::*;
use crate::codec::Policy;
use crate::units::{Money, Voltage};
use alloc::vec::Vec;

fn read<C: FieldCodec<T>, T>(bytes: &[u8]) -> T {
    C::read(&mut Reader::new(bytes, 0, Policy::Strict)).unwrap()
}

#[test]
fn scales_are_exact() {
    assert_eq!(read::<CurrentDeciAmp16, _>(&[0xF4, 0x03]), Current(101_200));
    assert_eq!(
        read::<CurrentDeciAmp16Offset400, _>(&[0xA0, 0x0F]),
        Current(0)
    );
    assert_eq!(
        read::<TemperatureDegree8Offset50, _>(&[75]),
        Temperature(250)
    );
    assert_eq!(
        read::<TemperatureDegree8Offset50, _>(&[0]),
        Temperature(-500)
    );
    assert_eq!(
        read::<MoneyFen32, _>(&[0xA0, 0x86, 0x01, 0x00]),
        Money(10_000_000)
    );
    assert_eq!(
        read::<EnergyDeciWh40, _>(&[1, 0, 0, 0, 1]),
        Energy((1 << 32) + 1)
    );
}

#[test]
fn encoding_refuses_what_the_field_cannot_carry() {
    let mut out = Vec::new();
    let mut w = Writer::new(&mut out);
    assert!(CurrentDeciAmp16::write(&Current(101_250), &mut w).is_err());
    assert!(TemperatureDegree8Offset50::write(&Temperature(-510), &mut w).is_err());
    assert!(MoneyFen32::write(&Money(-100), &mut w).is_err());
    assert!(VoltageDeciVolt16::write(&Voltage(70_000), &mut w).is_err());
    assert!(out.is_empty());
}
