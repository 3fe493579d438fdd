//! DNY protocol codes. Every enum keeps codes it does not know as `Other(code)`.

use crate::open_enum;

open_enum! {
    /// The device class: the high byte of a [`PhysicalId`](super::PhysicalId).
    pub enum DeviceClass: u8 {
        /// Single socket (单路插座).
        SingleSocket = 0x03 => "single_socket",
        /// Dual socket (双路插座).
        DualSocket = 0x04 => "dual_socket",
        /// 10-way pile (10路充电桩).
        TenWay = 0x05 => "ten_way",
        /// 16-way pile (16路充电桩).
        SixteenWay = 0x06 => "sixteen_way",
        /// 12-way pile (12路充电桩).
        TwelveWay = 0x07 => "twelve_way",
        /// 485/LoRa gateway host (主机).
        Host = 0x09 => "host",
        /// Host with residual-current breaker (漏保主机).
        RcdHost = 0x0A => "rcd_host",
    }
}

open_enum! {
    /// The state of one socket, in heartbeats (0x01, 0x21) and the power heartbeat (0x06).
    pub enum PortState: u8 {
        /// Idle.
        Idle = 0x00 => "idle",
        /// Charging.
        Charging = 0x01 => "charging",
        /// A charger is plugged in but charging was not started (in 0x06 from a charging
        /// cabinet: scanned, waiting for the charger).
        PluggedNotStarted = 0x02 => "plugged_not_started",
        /// A charger is plugged in and the battery is full.
        PluggedFull = 0x03 => "plugged_full",
        /// The socket cannot meter.
        NotMetering = 0x04 => "not_metering",
        /// Float charging (浮充).
        FloatCharging = 0x05 => "float_charging",
        /// The device's storage is damaged.
        StorageDamaged = 0x06 => "storage_damaged",
        /// The socket's spring contact is stuck.
        SocketSpringStuck = 0x07 => "socket_spring_stuck",
        /// Bad contact or blown fuse.
        BadContactOrFuseBlown = 0x08 => "bad_contact_or_fuse_blown",
        /// Relay welded (found by the metering algorithm).
        RelayWelded = 0x09 => "relay_welded",
        /// The plug-detect (hall) sensor is broken.
        PlugSensorBroken = 0x0A => "plug_sensor_broken",
        /// Pre-check: relay broken or fuse blown.
        PrecheckRelayOrFuseBroken = 0x0B => "precheck_relay_or_fuse_broken",
        /// Pre-check: load short-circuited.
        PrecheckShortCircuit = 0x0D => "precheck_short_circuit",
        /// Filtering pre-check: relay welded.
        PrecheckRelayWelded = 0x0E => "precheck_relay_welded",
        /// The card reader chip is broken.
        CardReaderBroken = 0x0F => "card_reader_broken",
        /// The detection circuit is faulty.
        DetectionCircuitFault = 0x10 => "detection_circuit_fault",
    }
}

open_enum! {
    /// The result of a start/stop command (0x82 reply).
    pub enum StartResult: u8 {
        /// Done (charging started or stopped).
        Ok = 0x00 => "ok",
        /// No charger plugged into the socket (not done).
        NoChargerPlugged = 0x01 => "no_charger_plugged",
        /// The socket already is in the requested state (not done).
        AlreadyInState = 0x02 => "already_in_state",
        /// Socket fault (done).
        PortFault = 0x03 => "port_fault",
        /// No such socket (not done).
        NoSuchPort = 0x04 => "no_such_port",
        /// Several sockets wait for a "device chooses" start (not done; see the pending bitmap).
        SeveralPortsWaiting = 0x05 => "several_ports_waiting",
        /// The device's total power would be exceeded (not done).
        TotalPowerExceeded = 0x06 => "total_power_exceeded",
        /// Storage damaged.
        StorageDamaged = 0x07 => "storage_damaged",
        /// Pre-check: relay broken or fuse blown.
        PrecheckRelayOrFuseBroken = 0x08 => "precheck_relay_or_fuse_broken",
        /// Pre-check: relay welded (charging is still given).
        PrecheckRelayWelded = 0x09 => "precheck_relay_welded",
        /// Pre-check: load short-circuited.
        PrecheckShortCircuit = 0x0A => "precheck_short_circuit",
        /// Smoke alarm.
        SmokeAlarm = 0x0B => "smoke_alarm",
        /// Over-voltage.
        OverVoltage = 0x0C => "over_voltage",
        /// Under-voltage.
        UnderVoltage = 0x0D => "under_voltage",
        /// No response.
        NoResponse = 0x0E => "no_response",
    }
}

open_enum! {
    /// Why charging stopped (settlement 0x03, 0x43).
    pub enum StopReason: u8 {
        /// The battery is full (充满自停).
        BatteryFull = 0x01 => "battery_full",
        /// The device's maximum charge time was reached.
        MaxChargeTimeReached = 0x02 => "max_charge_time_reached",
        /// The preset duration was reached.
        PresetTimeReached = 0x03 => "preset_time_reached",
        /// The preset energy was reached.
        PresetEnergyReached = 0x04 => "preset_energy_reached",
        /// The user unplugged the charger.
        Unplugged = 0x05 => "unplugged",
        /// Load too large (overload).
        Overload = 0x06 => "overload",
        /// Stopped by the server.
        ServerStop = 0x07 => "server_stop",
        /// Dynamic overload.
        DynamicOverload = 0x08 => "dynamic_overload",
        /// Power too low.
        PowerTooLow = 0x09 => "power_too_low",
        /// Ambient temperature too high.
        AmbientOverTemperature = 0x0A => "ambient_over_temperature",
        /// Socket temperature too high.
        PortOverTemperature = 0x0B => "port_over_temperature",
        /// Over-current.
        OverCurrent = 0x0C => "over_current",
        /// Unplugged, possibly a stuck socket spring.
        UnpluggedSpringStuck = 0x0D => "unplugged_spring_stuck",
        /// No power drawn: bad contact or blown fuse.
        NoPowerBadContactOrFuse = 0x0E => "no_power_bad_contact_or_fuse",
        /// Pre-check: relay broken or fuse blown.
        PrecheckRelayOrFuseBroken = 0x0F => "precheck_relay_or_fuse_broken",
        /// Power cut by water immersion.
        WaterImmersion = 0x10 => "water_immersion",
        /// Fire extinguishing triggered at this socket.
        FireExtinguishedThisPort = 0x11 => "fire_extinguished_this_port",
        /// Fire extinguishing triggered at another socket.
        FireExtinguishedOtherPort = 0x12 => "fire_extinguished_other_port",
        /// A user opened the cabinet with a password.
        CabinetOpenedByPassword = 0x13 => "cabinet_opened_by_password",
        /// The cabinet door was not closed.
        DoorNotClosed = 0x14 => "door_not_closed",
        /// Stopped by an external operation.
        ExternalStop = 0x15 => "external_stop",
        /// Stopped by a card swipe.
        CardStop = 0x16 => "card_stop",
        /// Forced stop by the server (cabinets: forced door opening).
        ServerForcedStop = 0x17 => "server_forced_stop",
        /// The fire protection system triggered.
        FireSystem = 0x18 => "fire_system",
        /// Storage error.
        StorageError = 0x19 => "storage_error",
        /// Over-voltage.
        OverVoltage = 0x1A => "over_voltage",
        /// Under-voltage.
        UnderVoltage = 0x1B => "under_voltage",
        /// Power too low for too long: cut.
        LowPowerCut = 0x1C => "low_power_cut",
    }
}

open_enum! {
    /// The kind of an alarm push (0x42).
    pub enum AlarmKind: u8 {
        /// Power cut.
        PowerCut = 0x01 => "power_cut",
        /// Water immersion.
        WaterImmersion = 0x02 => "water_immersion",
        /// Hot-melt fuse triggered.
        HotMeltFuse = 0x03 => "hot_melt_fuse",
        /// Smoke alarm.
        Smoke = 0x04 => "smoke",
        /// Heat alarm.
        Heat = 0x05 => "heat",
        /// Water level alarm.
        WaterLevel = 0x06 => "water_level",
        /// Cabinet door sprang open.
        DoorOpened = 0x07 => "door_opened",
    }
}

open_enum! {
    /// The account status the server answers a card swipe with (0x02 reply); the device speaks
    /// the matching prompt.
    pub enum CardStatus: u8 {
        /// Account in order.
        Ok = 0x00 => "ok",
        /// Card not registered.
        Unregistered = 0x01 => "unregistered",
        /// Bind the card (swipe again).
        BindCard = 0x02 => "bind_card",
        /// Unbind the card (swipe again).
        UnbindCard = 0x03 => "unbind_card",
        /// Monthly user swiped twice.
        MonthlyRepeatedSwipe = 0x04 => "monthly_repeated_swipe",
        /// Monthly user exceeded the number of uses.
        MonthlyCountExceeded = 0x05 => "monthly_count_exceeded",
        /// Balance too low.
        InsufficientBalance = 0x06 => "insufficient_balance",
        /// Monthly plan expired.
        MonthlyExpired = 0x07 => "monthly_expired",
        /// Socket fault.
        PortFault = 0x08 => "port_fault",
        /// Clear the balance card and turn it into a user card (swipe again).
        ClearBalanceCard = 0x09 => "clear_balance_card",
        /// Monthly user exceeded the time allowance.
        MonthlyDurationExceeded = 0x0A => "monthly_duration_exceeded",
        /// Card belongs to another operator account.
        OtherOperator = 0x0B => "other_operator",
        /// This device is not registered.
        DeviceUnregistered = 0x0C => "device_unregistered",
        /// Buy a monthly plan.
        BuyMonthlyPlan = 0x0D => "buy_monthly_plan",
        /// Charging in another area, balance too low.
        CrossAreaInsufficientBalance = 0x0E => "cross_area_insufficient_balance",
        /// Monthly-plan device, cannot be used.
        MonthlyDeviceUnusable = 0x0F => "monthly_device_unusable",
        /// Monthly-plan device, cannot be used from another area.
        MonthlyDeviceCrossArea = 0x10 => "monthly_device_cross_area",
        /// Temporary device, cannot be used.
        TemporaryDeviceUnusable = 0x11 => "temporary_device_unusable",
        /// Temporary device, cannot be used from another area.
        TemporaryDeviceCrossArea = 0x12 => "temporary_device_cross_area",
    }
}

open_enum! {
    /// The kind of card swiped (0x02).
    pub enum CardType: u8 {
        /// A card already set up (read with the user key).
        Old = 0x00 => "old",
        /// A blank card (read with the new-card key).
        New = 0x01 => "new",
        /// A balance card (withdrawn by the vendor).
        BalanceCard = 0x02 => "balance_card",
        /// Only the UID could be read.
        UidOnly = 0x03 => "uid_only",
        /// A social security card; its number comes as "card no. 2".
        SocialSecurity = 0x04 => "social_security",
    }
}

open_enum! {
    /// How the device interprets a balance/expiry value (0x02 reply, 0x82).
    pub enum RateMode: u8 {
        /// By time; the value is a balance in fen.
        Time = 0x00 => "time",
        /// Monthly plan; the value is the expiry (Unix time).
        Monthly = 0x01 => "monthly",
        /// By energy; the value is a balance in fen.
        Energy = 0x02 => "energy",
        /// Per use; the value is a balance in fen.
        PerUse = 0x03 => "per_use",
    }
}

open_enum! {
    /// How a charge was started (0x03, 0x04, 0x06, 0x43).
    pub enum StartMode: u8 {
        /// Card swiped while offline.
        OfflineCard = 0x00 => "offline_card",
        /// Started online by the server.
        Online = 0x01 => "online",
        /// Started with a verification code.
        VerificationCode = 0x03 => "verification_code",
    }
}

open_enum! {
    /// Start or stop (0x82).
    pub enum ChargeCommand: u8 {
        /// Stop charging (the order number must match).
        Stop = 0x00 => "stop",
        /// Start charging.
        Start = 0x01 => "start",
    }
}

open_enum! {
    /// The new limit's kind when changing a running order (0x8A).
    pub enum ModifyMode: u8 {
        /// A duration, not stopping when full.
        Timed = 0x00 => "timed",
        /// A duration, stopping when full.
        TimedUntilFull = 0x01 => "timed_until_full",
        /// An energy, stopping when full.
        EnergyUntilFull = 0x02 => "energy_until_full",
    }
}

open_enum! {
    /// The result of changing a running order (0x8A reply).
    pub enum ModifyResult: u8 {
        /// Done.
        Ok = 0x00 => "ok",
        /// The socket is not charging.
        NotCharging = 0x01 => "not_charging",
        /// The new value is below what already ran.
        BelowCurrentValue = 0x02 => "below_current_value",
        /// No such rate mode or socket.
        BadModeOrPort = 0x03 => "bad_mode_or_port",
    }
}

open_enum! {
    /// A device's answer to a firmware chunk (0xE0–0xE2, 0xF8, and the host's 0xF9/0xFA).
    pub enum UpgradeResult: u8 {
        /// Received; send the next chunk.
        Ok = 0x00 => "ok",
        /// Chunk error; send the requested chunk again.
        ChunkError = 0x01 => "chunk_error",
        /// The firmware's sum check failed.
        FirmwareChecksumError = 0x02 => "firmware_checksum_error",
        /// Wrong device type.
        WrongDeviceType = 0x03 => "wrong_device_type",
        /// The upgrade has no verification chunk.
        NoVerificationChunk = 0x04 => "no_verification_chunk",
        /// The verification chunk names another device type; upgrade refused.
        VerificationDeviceTypeMismatch = 0x05 => "verification_device_type_mismatch",
    }
}

open_enum! {
    /// Network or card operation (0x8D).
    pub enum WorkMode: u8 {
        /// Networked (联网).
        Network = 0x00 => "network",
        /// Card only (刷卡).
        Card = 0x01 => "card",
    }
}

open_enum! {
    /// The offline card mode of a TC card device (0x8F).
    pub enum CardMode: u8 {
        /// By time.
        Time = 0x00 => "time",
        /// Per use.
        PerUse = 0x01 => "per_use",
        /// By energy.
        Energy = 0x03 => "energy",
        /// Fixed fee ("one yuan mode").
        FixedFee = 0x04 => "fixed_fee",
        /// Home use.
        Home = 0x05 => "home",
        /// Free choice (devices with keys).
        FreeChoice = 0x06 => "free_choice",
    }
}

open_enum! {
    /// The kind of a port push (0x44).
    pub enum PortPushKind: u8 {
        /// The cabinet door is not closed.
        DoorNotClosed = 0x01 => "door_not_closed",
    }
}

open_enum! {
    /// What a multi-function command (0x98) does.
    pub enum Function: u8 {
        /// Force a charging cabinet's door open.
        ForceOpenCabinet = 0x00 => "force_open_cabinet",
    }
}

open_enum! {
    /// The real-time clock chip of a host (0x11).
    pub enum RtcChip: u8 {
        /// No RTC.
        None = 0x00 => "none",
        /// SD2068.
        Sd2068 = 0x01 => "sd2068",
        /// BM8563.
        Bm8563 = 0x02 => "bm8563",
    }
}

open_enum! {
    /// The communication module of a host (0x11).
    pub enum ModuleType: u8 {
        /// Wi-Fi (B2).
        WifiB2 = 0x01 => "wifi_b2",
        /// 2G (GM3).
        Gsm2gGm3 = 0x02 => "gsm_2g_gm3",
        /// 4G (7S4/G405).
        Lte4g7s4 = 0x03 => "lte_4g_7s4",
        /// 2G (GM35).
        Gsm2gGm35 = 0x04 => "gsm_2g_gm35",
        /// NB-IoT (M5311).
        NbIotM5311 = 0x05 => "nb_iot_m5311",
        /// 4G Cat.1 (GM5).
        Cat1Gm5 = 0x06 => "cat1_gm5",
        /// 4G Cat.1 (GM5, OpenCPU firmware).
        Cat1Gm5OpenCpu = 0x07 => "cat1_gm5_open_cpu",
        /// 4G Cat.1 (GM6).
        Cat1Gm6 = 0x08 => "cat1_gm6",
    }
}
