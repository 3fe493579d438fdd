//! YKC protocol codes as enums that keep unknown values.

use crate::open_enum;

open_enum! {
    /// Pile type in the login frame (0x01).
    pub enum PileType: u8 {
        /// Direct current.
        Dc = 0 => "dc",
        /// Alternating current.
        Ac = 1 => "ac",
    }
}

open_enum! {
    /// Pile model in the remote update frame (0x94).
    pub enum PileModel: u8 {
        /// Direct current.
        Dc = 1 => "dc",
        /// Alternating current.
        Ac = 2 => "ac",
    }
}

open_enum! {
    /// How the pile reaches the platform (0x01).
    pub enum NetworkType: u8 {
        /// Cellular SIM.
        Sim = 0 => "sim",
        /// Local network.
        Lan = 1 => "lan",
        /// Wide-area network.
        Wan = 2 => "wan",
        /// Something else.
        OtherNetwork = 3 => "other",
    }
}

open_enum! {
    /// Mobile carrier of the pile's SIM (0x01).
    pub enum Carrier: u8 {
        /// China Mobile (移动).
        ChinaMobile = 0 => "china_mobile",
        /// China Telecom (电信).
        ChinaTelecom = 2 => "china_telecom",
        /// China Unicom (联通).
        ChinaUnicom = 3 => "china_unicom",
        /// Another carrier.
        OtherCarrier = 4 => "other",
    }
}

open_enum! {
    /// A plain success flag, `0` success / `1` failure (login reply, settings replies).
    pub enum ZeroIsSuccess: u8 {
        /// Succeeded.
        Success = 0 => "success",
        /// Failed.
        Failure = 1 => "failure",
    }
}

open_enum! {
    /// A plain success flag, `0` failure / `1` success (most replies from the pile).
    pub enum OneIsSuccess: u8 {
        /// Failed.
        Failure = 0 => "failure",
        /// Succeeded.
        Success = 1 => "success",
    }
}

open_enum! {
    /// Gun condition in the heartbeat (0x03).
    pub enum GunCondition: u8 {
        /// Normal.
        Normal = 0 => "normal",
        /// Faulted.
        Fault = 1 => "fault",
    }
}

open_enum! {
    /// Result of the billing-model check (0x06).
    pub enum ModelCheck: u8 {
        /// The pile's model is current.
        Same = 0 => "same",
        /// The pile's model differs; it will request the model with 0x09.
        Different = 1 => "different",
    }
}

open_enum! {
    /// Gun status in real-time data (0x13).
    pub enum GunStatus: u8 {
        /// Offline.
        Offline = 0 => "offline",
        /// Faulted.
        Fault = 1 => "fault",
        /// Idle.
        Idle = 2 => "idle",
        /// Charging.
        Charging = 3 => "charging",
    }
}

open_enum! {
    /// Whether the gun is back in its holster (0x13).
    pub enum Holstered: u8 {
        /// Not in the holster.
        No = 0 => "no",
        /// In the holster.
        Yes = 1 => "yes",
        /// Not known.
        Unknown = 2 => "unknown",
    }
}

open_enum! {
    /// Whether the gun is plugged into a vehicle (0x13).
    pub enum Plugged: u8 {
        /// Not plugged.
        No = 0 => "no",
        /// Plugged.
        Yes = 1 => "yes",
    }
}

open_enum! {
    /// Battery chemistry (GB/T 27930 BRM, 0x15).
    pub enum BatteryType: u8 {
        /// Lead-acid.
        LeadAcid = 1 => "lead_acid",
        /// Nickel-metal hydride.
        NickelMetalHydride = 2 => "nickel_metal_hydride",
        /// Lithium iron phosphate.
        LithiumIronPhosphate = 3 => "lithium_iron_phosphate",
        /// Lithium manganese oxide.
        LithiumManganeseOxide = 4 => "lithium_manganese_oxide",
        /// Lithium cobalt oxide.
        LithiumCobaltOxide = 5 => "lithium_cobalt_oxide",
        /// Nickel-cobalt-manganese ternary.
        Ternary = 6 => "ternary",
        /// Polymer lithium-ion.
        PolymerLithiumIon = 7 => "polymer_lithium_ion",
        /// Lithium titanate.
        LithiumTitanate = 8 => "lithium_titanate",
        /// Another chemistry.
        OtherChemistry = 0xFF => "other",
    }
}

open_enum! {
    /// How a pile-initiated start is authorised (0x31).
    pub enum StartMode: u8 {
        /// A card swipe.
        Card = 1 => "card",
        /// An account and password (not supported by the platform).
        Account = 2 => "account",
        /// The vehicle's VIN.
        Vin = 3 => "vin",
    }
}

open_enum! {
    /// Why the platform refused a pile-initiated start (0x32).
    pub enum AuthFailure: u8 {
        /// No failure.
        None = 0x00 => "none",
        /// The account does not exist.
        NoAccount = 0x01 => "no_account",
        /// The account is frozen.
        AccountFrozen = 0x02 => "account_frozen",
        /// The balance is too low.
        InsufficientBalance = 0x03 => "insufficient_balance",
        /// The card has an unsettled charging record.
        CardUnsettled = 0x04 => "card_unsettled",
        /// The pile is disabled.
        PileDisabled = 0x05 => "pile_disabled",
        /// The account may not charge at this pile.
        NotAllowedHere = 0x06 => "not_allowed_here",
        /// Wrong password.
        WrongPassword = 0x07 => "wrong_password",
        /// The station has no capacity left.
        StationCapacity = 0x08 => "station_capacity",
        /// The VIN is not known.
        UnknownVin = 0x09 => "unknown_vin",
        /// The pile has an unsettled record.
        PileUnsettled = 0x0A => "pile_unsettled",
        /// The pile does not accept cards.
        CardsNotSupported = 0x0B => "cards_not_supported",
    }
}

open_enum! {
    /// Why a remote start failed (0x33).
    pub enum StartFailure: u8 {
        /// No failure.
        None = 0 => "none",
        /// The pile code does not match.
        PileMismatch = 1 => "pile_mismatch",
        /// The gun is already charging.
        AlreadyCharging = 2 => "already_charging",
        /// The equipment is faulted.
        Fault = 3 => "fault",
        /// The equipment is offline.
        Offline = 4 => "offline",
        /// The gun is not plugged in (a late success follows if it is within 60 s).
        NotPlugged = 5 => "not_plugged",
    }
}

open_enum! {
    /// Why a remote stop failed (0x35).
    pub enum StopFailure: u8 {
        /// No failure.
        None = 0 => "none",
        /// The pile code does not match.
        PileMismatch = 1 => "pile_mismatch",
        /// The gun is not charging.
        NotCharging = 2 => "not_charging",
        /// Another reason.
        OtherReason = 3 => "other",
    }
}

open_enum! {
    /// How a transaction was started (0x3B).
    pub enum TradeKind: u8 {
        /// From the app.
        App = 0x01 => "app",
        /// With an online card.
        Card = 0x02 => "card",
        /// With an offline card.
        OfflineCard = 0x04 => "offline_card",
        /// By VIN.
        Vin = 0x05 => "vin",
    }
}

open_enum! {
    /// Result of a balance update (0x41).
    pub enum BalanceUpdateResult: u8 {
        /// Updated.
        Success = 0 => "success",
        /// The pile code is wrong.
        PileMismatch = 1 => "pile_mismatch",
        /// The card is wrong.
        CardError = 2 => "card_error",
    }
}

open_enum! {
    /// Whether the pile may work (0x52).
    pub enum WorkPermission: u8 {
        /// Allowed to work.
        Allowed = 0 => "allowed",
        /// Locked: disabled by the platform.
        Locked = 1 => "locked",
    }
}

open_enum! {
    /// Parking lock position (0x61).
    pub enum LockPosition: u8 {
        /// Moving.
        Moving = 0x00 => "moving",
        /// Raised.
        Up = 0x55 => "up",
        /// Lowered.
        Down = 0xFF => "down",
    }
}

open_enum! {
    /// Whether the parking space is occupied (0x61).
    pub enum SpaceState: u8 {
        /// Empty.
        Empty = 0x00 => "empty",
        /// A vehicle stands in the space.
        Occupied = 0xFF => "occupied",
    }
}

open_enum! {
    /// Parking lock alarm (0x61).
    pub enum LockAlarm: u8 {
        /// No alarm.
        None = 0x00 => "none",
        /// The lock arm is broken.
        ArmBroken = 0xFF => "arm_broken",
        /// The lock failed to move.
        MovementFault = 0x55 => "movement_fault",
    }
}

open_enum! {
    /// Parking lock command (0x62).
    pub enum LockCommand: u8 {
        /// Raise the lock.
        Raise = 0x55 => "raise",
        /// Lower the lock.
        Lower = 0xFF => "lower",
    }
}

open_enum! {
    /// When the pile should act on a reboot or update command (0x92, 0x94).
    pub enum ExecuteWhen: u8 {
        /// At once.
        Now = 1 => "now",
        /// When idle.
        WhenIdle = 2 => "when_idle",
    }
}

open_enum! {
    /// Result of a remote update (0x93).
    pub enum UpdateResult: u8 {
        /// Update succeeded.
        Success = 0 => "success",
        /// The pile code is wrong.
        PileMismatch = 1 => "pile_mismatch",
        /// The firmware does not fit the pile model.
        ModelMismatch = 2 => "model_mismatch",
        /// Downloading the firmware timed out.
        DownloadTimeout = 3 => "download_timeout",
    }
}

open_enum! {
    /// Role of a gun in dual-gun parallel charging (0xA1, 0xA3).
    pub enum ParallelRole: u8 {
        /// The master gun.
        Master = 0 => "master",
        /// The slave gun.
        Slave = 1 => "slave",
    }
}

open_enum! {
    /// Layout of a QR code prefix (0xF0).
    pub enum QrFormat: u8 {
        /// Prefix followed by the pile code.
        PrefixPile = 0 => "prefix_pile",
        /// Prefix, organisation, pile code.
        PrefixOrgPile = 1 => "prefix_org_pile",
    }
}

open_enum! {
    /// Result of a transaction record check (0x40).
    pub enum RecordCheck: u8 {
        /// The record was accepted.
        Accepted = 0 => "accepted",
        /// The platform considers the record illegal.
        Illegal = 1 => "illegal",
    }
}

open_enum! {
    /// Why a charge ended (transaction record, 0x3B; YKC V1.6 §13.1).
    ///
    /// 0x40–0x49 completed normally, 0x4A–0x64 failed to start, 0x6A–0x89 stopped abnormally.
    pub enum StopReason: u8 {
        /// Stopped from the app.
        AppStop = 0x40 => "app_stop",
        /// SOC reached 100 %.
        SocFull = 0x41 => "soc_full",
        /// The energy target was reached.
        EnergyReached = 0x42 => "energy_reached",
        /// The amount target was reached.
        AmountReached = 0x43 => "amount_reached",
        /// The time target was reached.
        TimeReached = 0x44 => "time_reached",
        /// Stopped by hand at the pile.
        ManualStop = 0x45 => "manual_stop",
        /// The BMS total voltage target was reached.
        BmsVoltageReached = 0x46 => "bms_voltage_reached",
        /// Start failed: control system fault.
        StartControlFault = 0x4A => "start_control_fault",
        /// Start failed: control pilot disconnected.
        StartPilotDisconnected = 0x4B => "start_pilot_disconnected",
        /// Start failed: breaker tripped.
        StartBreakerTripped = 0x4C => "start_breaker_tripped",
        /// Start failed: meter communication.
        StartMeterComm = 0x4D => "start_meter_comm",
        /// Start failed: balance insufficient.
        StartBalanceInsufficient = 0x4E => "start_balance_insufficient",
        /// Start failed: charging module fault.
        StartModuleFault = 0x4F => "start_module_fault",
        /// Start failed: emergency stop pressed.
        StartEmergencyStop = 0x50 => "start_emergency_stop",
        /// Start failed: lightning/surge protector abnormal.
        StartSurgeProtector = 0x51 => "start_surge_protector",
        /// Start failed: BMS not ready.
        StartBmsNotReady = 0x52 => "start_bms_not_ready",
        /// Start failed: temperature abnormal.
        StartTemperature = 0x53 => "start_temperature",
        /// Start failed: battery polarity reversed.
        StartBatteryReversed = 0x54 => "start_battery_reversed",
        /// Start failed: electronic lock.
        StartElectronicLock = 0x55 => "start_electronic_lock",
        /// Start failed: contactor closing failed.
        StartClosingFailed = 0x56 => "start_closing_failed",
        /// Start failed: insulation fault.
        StartInsulation = 0x57 => "start_insulation",
        /// Start failed: BHM timeout.
        StartBhmTimeout = 0x59 => "start_bhm_timeout",
        /// Start failed: BRM timeout.
        StartBrmTimeout = 0x5A => "start_brm_timeout",
        /// Start failed: BCP timeout.
        StartBcpTimeout = 0x5B => "start_bcp_timeout",
        /// Start failed: BRO timeout.
        StartBroTimeout = 0x5C => "start_bro_timeout",
        /// Start failed: BCS timeout.
        StartBcsTimeout = 0x5D => "start_bcs_timeout",
        /// Start failed: BCL timeout.
        StartBclTimeout = 0x5E => "start_bcl_timeout",
        /// Start failed: BSM timeout.
        StartBsmTimeout = 0x5F => "start_bsm_timeout",
        /// Start failed: GB/T 2015 voltage abnormal.
        StartGb2015Voltage = 0x60 => "start_gb2015_voltage",
        /// Start failed: GB/T 2015 BRO abnormal.
        StartGb2015Bro = 0x61 => "start_gb2015_bro",
        /// Start failed: GB/T 2015 configuration timeout.
        StartGb2015ConfigTimeout = 0x62 => "start_gb2015_config_timeout",
        /// Start failed: GB/T 2015 code 0x63.
        StartGb2015Other63 = 0x63 => "start_gb2015_other_63",
        /// Start failed: GB/T 2015 code 0x64.
        StartGb2015Other64 = 0x64 => "start_gb2015_other_64",
        /// Abnormal stop: system lockout.
        SystemLockout = 0x6A => "system_lockout",
        /// Abnormal stop: control pilot disconnected.
        PilotDisconnected = 0x6B => "pilot_disconnected",
        /// Abnormal stop: breaker tripped.
        BreakerTripped = 0x6C => "breaker_tripped",
        /// Abnormal stop: meter communication.
        MeterComm = 0x6D => "meter_comm",
        /// Abnormal stop: balance insufficient.
        BalanceInsufficient = 0x6E => "balance_insufficient",
        /// Abnormal stop: AC protection.
        AcProtection = 0x6F => "ac_protection",
        /// Abnormal stop: DC protection.
        DcProtection = 0x70 => "dc_protection",
        /// Abnormal stop: charging module fault.
        ModuleFault = 0x71 => "module_fault",
        /// Abnormal stop: emergency stop pressed.
        EmergencyStop = 0x72 => "emergency_stop",
        /// Abnormal stop: lightning/surge protector.
        SurgeProtector = 0x73 => "surge_protector",
        /// Abnormal stop: temperature.
        Temperature = 0x74 => "temperature",
        /// Abnormal stop: output abnormal.
        OutputAbnormal = 0x75 => "output_abnormal",
        /// Abnormal stop: no current.
        NoCurrent = 0x76 => "no_current",
        /// Abnormal stop: electronic lock.
        ElectronicLock = 0x77 => "electronic_lock",
        /// Abnormal stop: total voltage abnormal.
        TotalVoltage = 0x79 => "total_voltage",
        /// Abnormal stop: total voltage too high.
        TotalVoltageHigh = 0x7A => "total_voltage_high",
        /// Abnormal stop: total voltage too low.
        TotalVoltageLow = 0x7B => "total_voltage_low",
        /// Abnormal stop: cell voltage too high.
        CellVoltageHigh = 0x7C => "cell_voltage_high",
        /// Abnormal stop: cell voltage too low.
        CellVoltageLow = 0x7D => "cell_voltage_low",
        /// Abnormal stop: battery over-temperature.
        BatteryOverTemperature = 0x7E => "battery_over_temperature",
        /// Abnormal stop: BMV (cell voltage) message fault.
        BmvFault = 0x7F => "bmv_fault",
        /// Abnormal stop: BMT (battery temperature) message fault.
        BmtFault = 0x80 => "bmt_fault",
        /// Abnormal stop: battery state abnormal.
        BatteryState = 0x81 => "battery_state",
        /// Abnormal stop: the vehicle forbids charging.
        VehicleForbids = 0x82 => "vehicle_forbids",
        /// Abnormal stop: the pile lost power.
        PilePowerLoss = 0x83 => "pile_power_loss",
        /// Abnormal stop: BCS timeout.
        BcsTimeout = 0x84 => "bcs_timeout",
        /// Abnormal stop: BCL timeout.
        BclTimeout = 0x85 => "bcl_timeout",
        /// Abnormal stop: BSM timeout.
        BsmTimeout = 0x86 => "bsm_timeout",
        /// Abnormal stop: BST timeout.
        BstTimeout = 0x87 => "bst_timeout",
        /// Abnormal stop: BSD timeout.
        BsdTimeout = 0x88 => "bsd_timeout",
        /// Abnormal stop: CCS timeout.
        CcsTimeout = 0x89 => "ccs_timeout",
        /// Unknown reason.
        Unknown = 0x90 => "unknown",
    }
}

impl StopReason {
    /// Whether the code is in the "completed normally" range (0x40–0x49).
    pub const fn is_completed(self) -> bool {
        matches!(self.code(), 0x40..=0x49)
    }

    /// Whether the code is in the "start failed" range (0x4A–0x69).
    pub const fn is_start_failure(self) -> bool {
        matches!(self.code(), 0x4A..=0x69)
    }

    /// Whether the code is in the "stopped abnormally" range (0x6A–0x8F).
    pub const fn is_abnormal(self) -> bool {
        matches!(self.code(), 0x6A..=0x8F)
    }
}
