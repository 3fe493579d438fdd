//! Starting and stopping charges: remote start (0x83), remote stop (0x84), the end-of-charge
//! report (0x85), the local start report (0x86) and online card authorisation (0x87).

use alloc::vec::Vec;

use super::super::error::{DecodeError, EncodeError};
use super::super::fields::HexBytes;
use super::super::wire::{FieldCodec, Reader, Wire, Writer};
use super::codecs::{DurationSecond32, MoneyFen16, MoneyFen32, PowerWatt16};
use super::{EnergyResolution, read_energy, write_energy};
use crate::units::{Energy, Money, Power, Seconds};
use crate::{open_enum, wire_struct};

open_enum! {
    /// How a remote start (0x83) was paid for.
    pub enum StartMode: u8 {
        /// Paid by scanning the QR code.
        QrPay = 1 => "qr_pay",
        /// Paid by an online card.
        CardPay = 2 => "card_pay",
        /// Started by an administrator.
        Admin = 3 => "admin",
    }
}

open_enum! {
    /// What limits a remotely started charge (0x83); it gives the unit of the start's parameter.
    pub enum ChargeMode: u8 {
        /// Until the battery is full (the parameter is unused).
        UntilFull = 1 => "until_full",
        /// By amount: the parameter is in fen (0.01 yuan).
        ByAmount = 2 => "by_amount",
        /// By time: the parameter is in seconds.
        ByTime = 3 => "by_time",
        /// By energy: the parameter is in 0.01 kWh.
        ByEnergy = 4 => "by_energy",
        /// Another mode.
        OtherMode = 5 => "other_mode",
    }
}

open_enum! {
    /// The pile's answer to a remote start (0x83 reply).
    pub enum StartResult: u8 {
        /// Charging started.
        Started = 0 => "started",
        /// The port is already charging.
        AlreadyCharging = 1 => "already_charging",
        /// The port is faulty.
        PortFault = 2 => "port_fault",
    }
}

open_enum! {
    /// The pile's answer to a remote stop (0x84 reply).
    pub enum StopResult: u8 {
        /// Stopped.
        Done = 0 => "done",
        /// The port was already idle.
        AlreadyIdle = 1 => "already_idle",
        /// The order number is not the port's current order.
        OrderMismatch = 2 => "order_mismatch",
    }
}

open_enum! {
    /// Why a charge ended (0x85).
    pub enum StopReason: u8 {
        /// The battery is full.
        Full = 0 => "full",
        /// The bought time is used up.
        TimeUsedUp = 1 => "time_used_up",
        /// The money is used up.
        MoneyUsedUp = 2 => "money_used_up",
        /// Stopped by hand (remote stop, button).
        Manual = 3 => "manual",
        /// The bought energy is used up.
        EnergyUsedUp = 4 => "energy_used_up",
        /// The port's power was too high.
        PortOverPower = 5 => "port_over_power",
        /// No charger was plugged in.
        NoChargerDetected = 6 => "no_charger_detected",
        /// Over-temperature.
        OverTemperature = 7 => "over_temperature",
        /// Smoke alarm.
        Smoke = 8 => "smoke",
        /// The pile's smart stop.
        SmartStop = 9 => "smart_stop",
    }
}

open_enum! {
    /// How a charge was started at the pile (0x86).
    pub enum LocalStartMode: u8 {
        /// An offline card.
        OfflineCard = 1 => "offline_card",
        /// Coins.
        Coin = 2 => "coin",
        /// The free button.
        FreeButton = 3 => "free_button",
    }
}

open_enum! {
    /// What a card swipe asks the platform for (0x87).
    pub enum CardOperation: u8 {
        /// The card's balance.
        BalanceQuery = 1 => "balance_query",
        /// Start charging; the platform answers with a 0x83 remote start instead of a 0x87.
        StartCharging = 2 => "start_charging",
        /// The free button with a card.
        FreeButton = 3 => "free_button",
    }
}

open_enum! {
    /// The platform's answer to a card swipe (0x87 reply).
    pub enum CardAuthResult: u8 {
        /// Accepted.
        Ok = 0 => "ok",
        /// Unknown or illegal account.
        IllegalAccount = 1 => "illegal_account",
        /// The account is frozen.
        Frozen = 2 => "frozen",
        /// Not enough balance.
        InsufficientBalance = 5 => "insufficient_balance",
        /// The card is in use.
        InUse = 6 => "in_use",
        /// The balance field carries the monthly card's remaining days.
        RemainingDays = 7 => "remaining_days",
    }
}

wire_struct! {
    /// 0x83 down: the platform starts a charge on a port.
    #[derive(Copy)]
    pub struct RemoteStart {
        /// Port, from 1.
        port: u8,
        /// Order number.
        order: u32,
        /// How the charge was paid for.
        start_mode: StartMode,
        /// Card number (0 when not a card payment).
        card: u32,
        /// What limits the charge; gives the unit of `parameter`.
        charge_mode: ChargeMode,
        /// The limit: seconds, fen (0.01 yuan) or 0.01 kWh as `charge_mode` says; see
        /// [`RemoteStart::limit`].
        parameter: u32,
        /// The payer's available balance (0.01 yuan on the wire).
        available_balance: Money = MoneyFen32 => "available_balance_yuan",
    }
}

/// The limit of a remote start, in the unit its charge mode gives the parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeLimit {
    /// No limit: until full, or a mode this version does not know.
    None,
    /// A duration.
    Time(Seconds),
    /// An amount of money.
    Amount(Money),
    /// An amount of energy.
    Energy(Energy),
}

impl RemoteStart {
    /// The parameter as a typed limit.
    pub fn limit(&self) -> ChargeLimit {
        match self.charge_mode {
            ChargeMode::ByTime => ChargeLimit::Time(Seconds(self.parameter)),
            ChargeMode::ByAmount => ChargeLimit::Amount(Money::from_fen(self.parameter.into())),
            ChargeMode::ByEnergy => {
                ChargeLimit::Energy(Energy::from_centi_kwh(self.parameter.into()))
            }
            _ => ChargeLimit::None,
        }
    }
}

wire_struct! {
    /// 0x83 up: the pile's answer to a remote start.
    #[derive(Copy)]
    pub struct RemoteStartReply {
        /// Port, from 1.
        port: u8,
        /// Order number.
        order: u32,
        /// The start mode of the request.
        start_mode: StartMode,
        /// Whether the charge started.
        result: StartResult,
    }
}

wire_struct! {
    /// A body of port and order: the remote stop (0x84 down) and the platform's acknowledgements
    /// of an end-of-charge report (0x85 down, within 10 s) and of a local start (0x86 down).
    #[derive(Copy, Default)]
    pub struct PortOrder {
        /// Port, from 1.
        port: u8,
        /// Order number.
        order: u32,
    }
}

wire_struct! {
    /// 0x84 up: the pile's answer to a remote stop.
    #[derive(Copy)]
    pub struct RemoteStopReply {
        /// Port, from 1.
        port: u8,
        /// Order number.
        order: u32,
        /// Whether the port stopped.
        result: StopResult,
    }
}

/// One billing tier of an end-of-charge report (0x85).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TierUsage {
    /// Seconds charged in this tier; in time-of-use energy mode, the period's energy (the
    /// reference gives no unit for it). A raw u16.
    pub time_or_energy: u16,
    /// The tier's price (0.01 yuan on the wire); in time-of-use energy mode, the period's amount.
    #[cfg_attr(feature = "serde", serde(rename = "price_yuan"))]
    pub price: Money,
}

/// 0x85 up: the end-of-charge report (settlement). The pile resends it every 10 s, 3 times,
/// until acknowledged; after that the order becomes "abnormal".
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EndOfChargeReport {
    /// Port, from 1.
    pub port: u8,
    /// Order number.
    pub order: u32,
    /// Charging duration.
    #[cfg_attr(feature = "serde", serde(rename = "duration_s"))]
    pub duration: Seconds,
    /// Energy charged, at the decoder's declared [`EnergyResolution`].
    #[cfg_attr(feature = "serde", serde(rename = "energy_kwh"))]
    pub energy: Energy,
    /// Amount charged (0.01 yuan on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "amount_yuan"))]
    pub amount: Money,
    /// Why the charge ended.
    pub stop_reason: StopReason,
    /// Power when the charge stopped (whole watts on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "stop_power_w"))]
    pub stop_power: Power,
    /// Card number (meaningless for coin and free-button starts).
    pub card: u32,
    /// Per-tier usage, in tier order; the wire's tier count is its length (5 —
    /// sharp/peak/flat/valley/deep — in time-of-use energy mode).
    pub tiers: Vec<TierUsage>,
    /// Reserved.
    pub reserved: HexBytes<8>,
}

impl EndOfChargeReport {
    /// Offset of the tier count in the body.
    pub(crate) const TIER_COUNT_AT: usize = 24;

    /// Reads the body (the reader spans exactly this message's bytes).
    pub(crate) fn read(
        r: &mut Reader<'_>,
        resolution: EnergyResolution,
    ) -> Result<Self, DecodeError> {
        let port = r.field("port", <u8 as Wire>::read)?;
        let order = r.field("order", <u32 as Wire>::read)?;
        let duration = r.field("duration", DurationSecond32::read)?;
        let energy = r.field("energy", |r| read_energy(r, resolution))?;
        let amount = r.field("amount", MoneyFen32::read)?;
        let stop_reason = r.field("stop_reason", <StopReason as Wire>::read)?;
        let stop_power = r.field("stop_power", PowerWatt16::read)?;
        let card = r.field("card", <u32 as Wire>::read)?;
        let count = usize::from(r.field("tier_count", <u8 as Wire>::read)?);
        let times = r.field("tiers", |r| r.take(2 * count))?;
        let prices = r.field("tiers", |r| r.take(2 * count))?;
        let tiers = times
            .chunks_exact(2)
            .zip(prices.chunks_exact(2))
            .map(|(t, p)| TierUsage {
                time_or_energy: u16::from_le_bytes([t[0], t[1]]),
                price: Money::from_fen(i64::from(u16::from_le_bytes([p[0], p[1]]))),
            })
            .collect();
        let reserved = r.field("reserved", <HexBytes<8> as Wire>::read)?;
        Ok(Self {
            port,
            order,
            duration,
            energy,
            amount,
            stop_reason,
            stop_power,
            card,
            tiers,
            reserved,
        })
    }

    /// Writes the body.
    pub(crate) fn write(
        &self,
        w: &mut Writer<'_>,
        resolution: EnergyResolution,
    ) -> Result<(), EncodeError> {
        w.u8(self.port);
        w.u32_le(self.order);
        w.field("duration", |w| DurationSecond32::write(&self.duration, w))?;
        w.field("energy", |w| write_energy(&self.energy, w, resolution))?;
        w.field("amount", |w| MoneyFen32::write(&self.amount, w))?;
        w.u8(self.stop_reason.code());
        w.field("stop_power", |w| PowerWatt16::write(&self.stop_power, w))?;
        w.u32_le(self.card);
        let count = u8::try_from(self.tiers.len()).map_err(|_| EncodeError::NotRepresentable {
            field: "tiers",
            value: alloc::format!("{}", self.tiers.len()),
            reason: "at most 255 tiers",
        })?;
        w.u8(count);
        for tier in &self.tiers {
            w.u16_le(tier.time_or_energy);
        }
        for tier in &self.tiers {
            w.field("tiers", |w| MoneyFen16::write(&tier.price, w))?;
        }
        w.put(&self.reserved.0);
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::arbitrary::any;
        use proptest::strategy::Strategy;
        let tier =
            (any::<u16>(), MoneyFen16::arbitrary()).prop_map(|(time_or_energy, price)| TierUsage {
                time_or_energy,
                price,
            });
        (
            (any::<u8>(), any::<u32>(), DurationSecond32::arbitrary()),
            (
                super::arbitrary_energy(),
                MoneyFen32::arbitrary(),
                <StopReason as Wire>::arbitrary(),
            ),
            (PowerWatt16::arbitrary(), any::<u32>()),
            proptest::collection::vec(tier, 0..10),
            <HexBytes<8> as Wire>::arbitrary(),
        )
            .prop_map(
                |(
                    (port, order, duration),
                    (energy, amount, stop_reason),
                    (stop_power, card),
                    tiers,
                    reserved,
                )| Self {
                    port,
                    order,
                    duration,
                    energy,
                    amount,
                    stop_reason,
                    stop_power,
                    card,
                    tiers,
                    reserved,
                },
            )
            .boxed()
    }
}

wire_struct! {
    /// 0x86 up: a charge started at the pile (offline card, coins, free button). Resent 3 times
    /// without an acknowledgement, then dropped.
    #[derive(Copy)]
    pub struct LocalStartReport {
        /// Port, from 1.
        port: u8,
        /// Order number the pile gave the charge.
        order: u32,
        /// How the charge was started.
        mode: LocalStartMode,
        /// The amount paid (0.01 yuan on the wire).
        amount: Money = MoneyFen32 => "amount_yuan",
        /// The card's balance (0.01 yuan on the wire; meaningless for coins).
        card_balance: Money = MoneyFen32 => "card_balance_yuan",
        /// Card number.
        card: u32,
    }
}

wire_struct! {
    /// 0x87 up: a card was swiped and the pile asks the platform.
    #[derive(Copy)]
    pub struct CardAuth {
        /// Port, from 1.
        port: u8,
        /// Card number.
        card: u32,
        /// What the card holder wants.
        operation: CardOperation,
    }
}

wire_struct! {
    /// 0x87 down: the platform's answer to a card swipe.
    #[derive(Copy)]
    pub struct CardAuthReply {
        /// Port, from 1.
        port: u8,
        /// Card number.
        card: u32,
        /// The balance in fen (0.01 yuan), or a monthly card's remaining days when `result` is
        /// [`CardAuthResult::RemainingDays`]; see [`CardAuthReply::balance_money`].
        balance: u32,
        /// The answer.
        result: CardAuthResult,
    }
}

impl CardAuthReply {
    /// The balance as money, unless the field carries remaining days.
    pub fn balance_money(&self) -> Option<Money> {
        (self.result != CardAuthResult::RemainingDays)
            .then(|| Money::from_fen(i64::from(self.balance)))
    }

    /// The monthly card's remaining days, when the field carries them.
    pub fn remaining_days(&self) -> Option<u32> {
        (self.result == CardAuthResult::RemainingDays).then_some(self.balance)
    }
}
