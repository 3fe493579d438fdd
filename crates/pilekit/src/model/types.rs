//! The protocol-neutral vocabulary: who (pile, port, order, card), and what (port status, stop
//! reason, alarm), each keeping the dialect's raw code where one came.

use core::fmt;
use core::num::NonZeroU8;

use crate::codec::Dialect;
use crate::codec::dny::PhysicalId;
use crate::codec::fields::Ascii;
use crate::codec::ykc::PileCode;

/// A pile's identity, as each dialect carries it.
///
/// Written as operators write it: a YKC pile code as its 14 digits (`32010200000001`), a JUY
/// pile as its 15-digit IMEI, a DNY device as its device class (hex) and the number printed under
/// its QR code (`04-11220795` for physical id `0x04AB373B`). The class prefix keeps devices of
/// different classes with the same printed number apart. [`FromStr`](core::str::FromStr) reads
/// these forms back (and the DNY physical id as 8 hex digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PileId {
    /// A YKC pile code (7 BCD bytes).
    Ykc(PileCode),
    /// A DNY physical id.
    Dny(PhysicalId),
    /// A JUY pile's IMEI (15 ASCII digits).
    Juy(Ascii<15>),
}

impl PileId {
    /// The dialect the id belongs to.
    pub const fn dialect(&self) -> Dialect {
        match self {
            Self::Ykc(_) => Dialect::Ykc,
            Self::Dny(_) => Dialect::Dny,
            Self::Juy(_) => Dialect::Juy,
        }
    }
}

impl fmt::Display for PileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ykc(code) => write!(f, "{code}"),
            Self::Dny(id) => write!(f, "{:02X}-{:08}", id.0 >> 24, id.0 & 0x00FF_FFFF),
            Self::Juy(imei) => write!(f, "{imei}"),
        }
    }
}

/// Why text is not a [`PileId`], [`PortNo`], [`OrderRef`] or [`CardId`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not {what}")]
pub struct ParseIdError {
    /// What was expected.
    pub what: &'static str,
    /// The text, cut to its first 40 bytes.
    pub text: ShortText,
}

/// Up to 40 bytes of text, for error messages that must not allocate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ShortText {
    len: u8,
    bytes: [u8; 40],
}

impl ShortText {
    fn new(text: &str) -> Self {
        let mut end = text.len().min(40);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0; 40];
        bytes[..end].copy_from_slice(&text.as_bytes()[..end]);
        Self {
            len: end as u8,
            bytes,
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl fmt::Debug for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn parse_error(what: &'static str, text: &str) -> ParseIdError {
    ParseIdError {
        what,
        text: ShortText::new(text),
    }
}

impl core::str::FromStr for PileId {
    type Err = ParseIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || parse_error("a pile id (14-digit YKC code, CC-NNNNNNNN DNY id, IMEI)", s);
        let b = s.as_bytes();
        let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
        match b.len() {
            14 if b.iter().all(u8::is_ascii_hexdigit) => {
                PileCode::from_digits(s).map(Self::Ykc).map_err(|_| err())
            }
            15 if digits(b) => Ascii::new(s).map(Self::Juy).ok_or_else(err),
            11 if b[2] == b'-' && digits(&b[3..]) => {
                let class = u8::from_str_radix(&s[..2], 16).map_err(|_| err())?;
                let number: u32 = s[3..].parse().map_err(|_| err())?;
                if number > 0x00FF_FFFF {
                    return Err(err());
                }
                Ok(Self::Dny(PhysicalId(u32::from(class) << 24 | number)))
            }
            8 => u32::from_str_radix(s, 16)
                .map(|v| Self::Dny(PhysicalId(v)))
                .map_err(|_| err()),
            _ => Err(err()),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for PileId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for PileId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text: alloc::string::String = serde::Deserialize::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A port (socket, gun) of a pile, numbered from 1 in every dialect.
///
/// YKC guns and JUY ports are 1-based on the wire; DNY sockets are 0-based on the wire and
/// converted in one place, the codec's [`Port`](crate::codec::dny::Port).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u8", into = "u8"))]
pub struct PortNo(NonZeroU8);

impl PortNo {
    /// Port 1.
    pub const FIRST: PortNo = PortNo(NonZeroU8::MIN);

    /// Port `n`; `None` for 0.
    pub const fn new(n: u8) -> Option<PortNo> {
        match NonZeroU8::new(n) {
            Some(n) => Some(PortNo(n)),
            None => None,
        }
    }

    /// The port number, from 1.
    pub const fn get(self) -> u8 {
        self.0.get()
    }

    /// The 0-based index (port 1 is index 0).
    pub const fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

impl TryFrom<u8> for PortNo {
    type Error = ParseIdError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        PortNo::new(n).ok_or_else(|| parse_error("a port number (ports count from 1)", "0"))
    }
}

impl From<PortNo> for u8 {
    fn from(p: PortNo) -> u8 {
        p.get()
    }
}

impl fmt::Display for PortNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.get())
    }
}

/// The longest order reference a dialect carries (DNY's 16-byte order number; YKC's 16-byte BCD
/// trade serial is kept as its 32 digits).
pub const MAX_ORDER_LEN: usize = 32;

/// A dialect's order (trade) number.
///
/// Kept as the bytes the dialect carries: a YKC trade serial as its 32 digits, a DNY order
/// number as its 16 raw bytes, a JUY order number (a u32) as its decimal digits. Shown as text
/// when every byte is printable ASCII, as some piles and platforms write them, and as lowercase
/// hex otherwise. The serde form is that text, or `{"hex": "…"}` for the hex form, so reading it
/// back is exact.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrderRef {
    len: u8,
    bytes: [u8; MAX_ORDER_LEN],
}

impl OrderRef {
    /// An order reference of `bytes`; `None` when longer than [`MAX_ORDER_LEN`].
    pub fn from_bytes(bytes: &[u8]) -> Option<OrderRef> {
        if bytes.len() > MAX_ORDER_LEN {
            return None;
        }
        let mut b = [0; MAX_ORDER_LEN];
        b[..bytes.len()].copy_from_slice(bytes);
        Some(OrderRef {
            len: bytes.len() as u8,
            bytes: b,
        })
    }

    /// An order number written as its decimal digits (JUY).
    pub fn from_number(n: u32) -> OrderRef {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        let mut v = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        Self::from_bytes(&digits[i..]).unwrap_or_default()
    }

    /// The order number, if the reference is the decimal digits of a u32 (no leading zeros).
    pub fn to_number(&self) -> Option<u32> {
        let b = self.as_bytes();
        if b.is_empty() || (b.len() > 1 && b[0] == b'0') || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        core::str::from_utf8(b).ok()?.parse().ok()
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Whether every byte is printable ASCII (so the reference shows as text).
    pub fn is_text(&self) -> bool {
        self.as_bytes().iter().all(|b| (0x20..0x7F).contains(b))
    }
}

impl Default for OrderRef {
    fn default() -> Self {
        Self {
            len: 0,
            bytes: [0; MAX_ORDER_LEN],
        }
    }
}

impl fmt::Display for OrderRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_text() {
            f.write_str(core::str::from_utf8(self.as_bytes()).unwrap_or(""))
        } else {
            self.as_bytes()
                .iter()
                .try_for_each(|b| write!(f, "{b:02x}"))
        }
    }
}

impl fmt::Debug for OrderRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrderRef({self})")
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum OrderRefForm {
    Text(alloc::string::String),
    Hex { hex: alloc::string::String },
}

#[cfg(feature = "serde")]
impl serde::Serialize for OrderRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use alloc::string::ToString;
        if self.is_text() {
            s.collect_str(self)
        } else {
            OrderRefForm::Hex {
                hex: self.to_string(),
            }
            .serialize(s)
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for OrderRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let too_long = || D::Error::custom("an order reference holds at most 32 bytes");
        match OrderRefForm::deserialize(d)? {
            OrderRefForm::Text(t) => OrderRef::from_bytes(t.as_bytes()).ok_or_else(too_long),
            OrderRefForm::Hex { hex } => {
                let bytes = crate::hex::decode(&hex).map_err(D::Error::custom)?;
                OrderRef::from_bytes(&bytes).ok_or_else(too_long)
            }
        }
    }
}

/// A payment card: a number (JUY, YKC logical card) or the raw UID bytes of the card (YKC's
/// physical card, DNY's 4-byte card id), shown as decimal or lowercase hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CardId {
    /// A card number.
    Number(u64),
    /// Up to 8 bytes of card UID.
    Uid {
        /// Bytes used.
        len: u8,
        /// The UID, zero-padded.
        bytes: [u8; 8],
    },
}

impl CardId {
    /// A card of UID `bytes`; `None` above 8 bytes.
    pub fn uid(bytes: &[u8]) -> Option<CardId> {
        if bytes.len() > 8 {
            return None;
        }
        let mut b = [0; 8];
        b[..bytes.len()].copy_from_slice(bytes);
        Some(CardId::Uid {
            len: bytes.len() as u8,
            bytes: b,
        })
    }

    /// The UID bytes, if the card is given by its UID.
    pub fn uid_bytes(&self) -> Option<&[u8]> {
        match self {
            Self::Uid { len, bytes } => Some(&bytes[..usize::from(*len)]),
            Self::Number(_) => None,
        }
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Uid { .. } => self
                .uid_bytes()
                .unwrap_or_default()
                .iter()
                .try_for_each(|b| write!(f, "{b:02x}")),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for CardId {
    /// A number as a JSON number, a UID as `{"uid": "hex"}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use alloc::string::ToString;
        use serde::ser::SerializeMap;
        match self {
            Self::Number(n) => s.serialize_u64(*n),
            Self::Uid { .. } => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("uid", &self.to_string())?;
                m.end()
            }
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for CardId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Form {
            Number(u64),
            Uid { uid: alloc::string::String },
        }
        match Form::deserialize(d)? {
            Form::Number(n) => Ok(CardId::Number(n)),
            Form::Uid { uid } => {
                let bytes = crate::hex::decode(&uid).map_err(D::Error::custom)?;
                CardId::uid(&bytes)
                    .ok_or_else(|| D::Error::custom("a card UID has at most 8 bytes"))
            }
        }
    }
}

/// A dialect's own code for a status, stop reason, alarm or refusal, kept next to its neutral
/// meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RawCode {
    /// The dialect.
    pub dialect: Dialect,
    /// The code as the dialect sent it.
    pub code: u16,
}

impl RawCode {
    /// A code of `dialect`.
    pub const fn new(dialect: Dialect, code: u16) -> RawCode {
        RawCode { dialect, code }
    }
}

macro_rules! neutral_enum {
    ($(#[$m:meta])* pub enum $name:ident { $( $(#[$vm:meta])* $v:ident => $s:literal, )* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vm])* $v, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &[$name] = &[$( $name::$v ),*];

            /// The snake_case name, as in the serde form.
            pub const fn name(self) -> &'static str {
                match self {
                    $( $name::$v => $s, )*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

neutral_enum! {
    /// What a port is doing, as far as the pile says.
    pub enum PortStatus {
        /// Free: nothing plugged, or plugged but not reported.
        Idle => "idle",
        /// A charger or vehicle is plugged in; no charging.
        Plugged => "plugged",
        /// Charging.
        Charging => "charging",
        /// Float (trickle) charging after the main charge.
        Float => "float",
        /// Plugged in, battery full, no current.
        Full => "full",
        /// Charging finished; waiting for settlement or unplugging.
        Finished => "finished",
        /// Faulty (fuse, relay, sensor, storage): cannot charge.
        Fault => "fault",
        /// Disabled by the operator or the pile.
        Disabled => "disabled",
        /// The pile reports the port offline or in a state this version does not know.
        Unknown => "unknown",
    }
}

impl PortStatus {
    /// Whether the port delivers energy in this status.
    pub const fn is_charging(self) -> bool {
        matches!(self, Self::Charging | Self::Float)
    }
}

neutral_enum! {
    /// Why a charge ended, in every dialect's terms.
    pub enum StopCause {
        /// The battery is full (the pile saw the current fall, or the BMS/SOC said so).
        BatteryFull => "battery_full",
        /// The bought or maximum time was used up.
        TimeLimit => "time_limit",
        /// The bought energy was used up.
        EnergyLimit => "energy_limit",
        /// The money (prepayment, balance) was used up.
        MoneyLimit => "money_limit",
        /// The charger or vehicle was unplugged.
        Unplugged => "unplugged",
        /// Stopped by the platform.
        RemoteStop => "remote_stop",
        /// Stopped at the pile: button, card swipe, emergency stop.
        LocalStop => "local_stop",
        /// The load drew more power than allowed.
        OverPower => "over_power",
        /// Over-current.
        OverCurrent => "over_current",
        /// Over-voltage.
        OverVoltage => "over_voltage",
        /// Under-voltage.
        UnderVoltage => "under_voltage",
        /// Over-temperature (socket, ambient, battery, gun).
        OverTemperature => "over_temperature",
        /// Smoke alarm.
        Smoke => "smoke",
        /// Water immersion.
        Water => "water",
        /// Fire protection linkage (extinguisher, fire system).
        FireLinkage => "fire_linkage",
        /// The pile or its supply lost power.
        PowerLoss => "power_loss",
        /// Power stayed too low: no load, bad contact or blown fuse.
        NoLoad => "no_load",
        /// A hardware fault of the pile (relay, meter, module, storage, breaker).
        HardwareFault => "hardware_fault",
        /// The vehicle's BMS stopped or failed (car piles).
        VehicleFault => "vehicle_fault",
        /// Charging never started (the pile's start failed).
        StartFailed => "start_failed",
        /// A reason the dialect gives that none of the above covers.
        Other => "other",
    }
}

/// Why a charge ended: the neutral [`StopCause`] and the dialect's raw code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StopReason {
    /// What it means.
    pub cause: StopCause,
    /// What the pile sent.
    pub raw: RawCode,
}

neutral_enum! {
    /// What an alarm is about.
    pub enum AlarmKind {
        /// Smoke detected.
        Smoke => "smoke",
        /// Heat or over-temperature.
        Heat => "heat",
        /// Water immersion or high water level.
        Water => "water",
        /// Fire: extinguisher or hot-melt fuse triggered, fire system linkage.
        Fire => "fire",
        /// Supply power cut.
        PowerCut => "power_cut",
        /// An enclosure or cabinet door opened.
        DoorOpen => "door_open",
        /// A hardware fault (relay, fuse, meter, breaker, sensor).
        HardwareFault => "hardware_fault",
        /// An alarm this version does not know.
        Other => "other",
    }
}

impl AlarmKind {
    /// Whether the alarm calls for cutting every port of the pile at once (smoke, fire, water).
    pub const fn is_safety_critical(self) -> bool {
        matches!(self, Self::Smoke | Self::Fire | Self::Water | Self::Heat)
    }
}

neutral_enum! {
    /// Why a pile refused to start a charge.
    pub enum Refusal {
        /// Nothing is plugged into the port.
        NotPlugged => "not_plugged",
        /// The port is busy (already charging, reserved) or already in the requested state.
        Busy => "busy",
        /// The port or pile is faulty.
        Fault => "fault",
        /// No such port.
        NoSuchPort => "no_such_port",
        /// The pile's total power limit would be exceeded.
        PowerLimit => "power_limit",
        /// An alarm (smoke, voltage) blocks charging.
        Alarm => "alarm",
        /// The account's balance is insufficient.
        Balance => "balance",
        /// The vehicle or its BMS is not ready.
        VehicleNotReady => "vehicle_not_ready",
        /// The pile did not answer in time.
        NoResponse => "no_response",
        /// A reason this version does not know.
        Other => "other",
    }
}

/// How a charge was started at the pile itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "by"))]
#[non_exhaustive]
pub enum LocalStart {
    /// Coins dropped.
    Coin,
    /// A card swiped (online or offline card).
    Card {
        /// The card.
        card: CardId,
    },
    /// The free-charge button.
    FreeButton,
    /// A way this version does not know.
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn pile_ids_show_as_operators_write_them_and_read_back() {
        let ykc = PileId::Ykc(PileCode::from_digits("32010200000001").unwrap());
        let dny = PileId::Dny(PhysicalId(0x04AB_373B));
        let juy = PileId::Juy(Ascii::new("866123456789012").unwrap());
        assert_eq!(ykc.to_string(), "32010200000001");
        assert_eq!(dny.to_string(), "04-11220795");
        assert_eq!(juy.to_string(), "866123456789012");
        for id in [ykc, dny, juy] {
            assert_eq!(id.to_string().parse::<PileId>(), Ok(id));
        }
        assert_eq!("04AB373B".parse::<PileId>(), Ok(dny));
        assert_eq!(dny.dialect(), Dialect::Dny);
        assert!("04-99999999".parse::<PileId>().is_err());
        assert!("hello".parse::<PileId>().is_err());
        let e = "x".repeat(60).parse::<PileId>().unwrap_err();
        assert_eq!(e.text.as_str().len(), 40);
    }

    #[test]
    fn ports_count_from_one() {
        assert_eq!(PortNo::new(0), None);
        assert_eq!(PortNo::new(3).unwrap().index(), 2);
        assert_eq!(PortNo::FIRST.get(), 1);
        assert!(PortNo::try_from(0).is_err());
    }

    #[test]
    fn order_refs_show_as_text_or_hex_and_round_trip() {
        let n = OrderRef::from_number(4_294_967_295);
        assert_eq!(n.to_string(), "4294967295");
        assert_eq!(n.to_number(), Some(u32::MAX));
        assert_eq!(OrderRef::from_number(0).to_number(), Some(0));
        assert_eq!(OrderRef::from_bytes(b"007").unwrap().to_number(), None);
        let text = OrderRef::from_bytes(b"A2026120200001").unwrap();
        assert!(text.is_text());
        assert_eq!(text.to_string(), "A2026120200001");
        let raw = OrderRef::from_bytes(&[0, 0x12, 0xff]).unwrap();
        assert_eq!(raw.to_string(), "0012ff");
        assert!(OrderRef::from_bytes(&[0; 33]).is_none());
        #[cfg(feature = "serde")]
        {
            assert_eq!(serde_json::to_string(&raw).unwrap(), r#"{"hex":"0012ff"}"#);
            assert_eq!(serde_json::to_string(&text).unwrap(), r#""A2026120200001""#);
            for o in [n, text, raw] {
                let j = serde_json::to_string(&o).unwrap();
                assert_eq!(serde_json::from_str::<OrderRef>(&j).unwrap(), o);
            }
        }
    }

    #[test]
    fn cards_show_as_number_or_uid() {
        let c = CardId::uid(&[0xde, 0xad, 0xbe, 0xef]).unwrap();
        assert_eq!(c.to_string(), "deadbeef");
        assert_eq!(CardId::Number(12).to_string(), "12");
        assert!(CardId::uid(&[0; 9]).is_none());
        #[cfg(feature = "serde")]
        for card in [c, CardId::Number(12)] {
            let j = serde_json::to_string(&card).unwrap();
            assert_eq!(serde_json::from_str::<CardId>(&j).unwrap(), card);
        }
    }

    #[test]
    fn neutral_names_are_snake_case() {
        assert_eq!(StopCause::BatteryFull.name(), "battery_full");
        assert_eq!(PortStatus::ALL.len(), 9);
        assert!(AlarmKind::Smoke.is_safety_critical());
        assert!(!AlarmKind::PowerCut.is_safety_critical());
        assert!(PortStatus::Float.is_charging());
        assert!(!PortStatus::Full.is_charging());
    }
}
