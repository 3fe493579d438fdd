//! The body layouts of every YKC frame type (V1.6 §6–§12, with the V1.5 transaction record and
//! the 0xF0/0xF1 QR-prefix extension).
//!
//! ↑ marks frames from the pile, ↓ frames from the platform.

use alloc::string::String;
use alloc::vec::Vec;

use super::enums::*;
use super::scales::*;
use super::types::*;
use crate::codec::fields::{Ascii, BcdByte, Cp56Time2a, HexBytes, HexDigits};
use crate::time::LocalDateTime;
use crate::units::{Current, Energy, EnergyPrice, Minutes, Money, Permille, Temperature, Voltage};
use crate::wire_struct;

/// An SIM/ICCID number: 10 bytes of BCD that real piles fill with hex letters too.
pub type SimNumber = crate::codec::fields::Bcd<10>;
/// A physical card number (the M1 card's UID, zero-padded), 8 raw bytes.
pub type PhysicalCard = HexBytes<8>;

// ---- login, heartbeat, billing model -------------------------------------------------------

wire_struct! {
    /// 0x01 ↑ login (充电桩登录认证).
    pub struct Login {
        /// Pile code.
        pile_code: PileCode,
        /// DC or AC.
        pile_type: PileType,
        /// Number of guns.
        gun_count: u8,
        /// Protocol version ×10 (`0x0F` = V1.5).
        protocol_version: u8,
        /// Firmware version, ASCII.
        program_version: Ascii<8>,
        /// How the pile is connected.
        network: NetworkType,
        /// SIM card number (may hold hex letters).
        sim: SimNumber = HexDigits,
        /// Mobile carrier.
        carrier: Carrier,
    }
}

wire_struct! {
    /// 0x02 ↓ login reply (登录认证应答).
    pub struct LoginReply {
        /// Pile code.
        pile_code: PileCode,
        /// `success` or `failure`.
        result: ZeroIsSuccess,
    }
}

wire_struct! {
    /// 0x03 ↑ heartbeat (心跳包), every 10 s per gun.
    pub struct Heartbeat {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Gun condition.
        gun_condition: GunCondition,
    }
}

wire_struct! {
    /// 0x04 ↓ heartbeat reply (心跳应答).
    pub struct HeartbeatReply {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Always 0.
        reply: u8,
    }
}

wire_struct! {
    /// 0x05 ↑ billing-model check (计费模型验证请求).
    pub struct ModelCheckRequest {
        /// Pile code.
        pile_code: PileCode,
        /// The pile's current billing-model number (0 on first connect).
        model_number: ModelNumber,
    }
}

wire_struct! {
    /// 0x06 ↓ billing-model check reply (计费模型验证应答).
    pub struct ModelCheckReply {
        /// Pile code.
        pile_code: PileCode,
        /// Billing-model number.
        model_number: ModelNumber,
        /// Whether the pile's model is current.
        result: ModelCheck,
    }
}

wire_struct! {
    /// 0x09 ↑ billing-model request (计费模型请求).
    pub struct ModelRequest {
        /// Pile code.
        pile_code: PileCode,
    }
}

wire_struct! {
    /// The energy and service rate of one time-of-use class.
    pub struct ClassRate {
        /// Energy rate.
        energy: EnergyPrice = PriceMilliFenPerKwh32 => "energy_yuan_per_kwh",
        /// Service rate.
        service: EnergyPrice = PriceMilliFenPerKwh32 => "service_yuan_per_kwh",
    }
}

wire_struct! {
    /// 0x0A ↓ billing-model reply (计费模型请求应答) and 0x58 ↓ billing-model setting
    /// (计费模型设置): four time-of-use classes over 48 half-hour slots.
    pub struct BillingModel {
        /// Pile code.
        pile_code: PileCode,
        /// Billing-model number.
        model_number: ModelNumber,
        /// Sharp (尖) rates.
        sharp: ClassRate,
        /// Peak (峰) rates.
        peak: ClassRate,
        /// Flat (平) rates.
        flat: ClassRate,
        /// Valley (谷) rates.
        valley: ClassRate,
        /// Loss ratio (计损比例), 0 when unused.
        loss_ratio: u8,
        /// The class of each half hour, 00:00 first.
        slots: HalfHourSlots,
    }
}

wire_struct! {
    /// 0x57 ↑ billing-model setting reply (计费模型应答).
    pub struct ModelSetReply {
        /// Pile code.
        pile_code: PileCode,
        /// `failure` or `success`.
        result: OneIsSuccess,
    }
}

// ---- real-time data ------------------------------------------------------------------------

wire_struct! {
    /// 0x12 ↓ read real-time data (读取实时监测数据).
    pub struct ReadRealTimeData {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
    }
}

wire_struct! {
    /// 0x13 ↑ real-time data (上传实时监测数据): every 5 min idle, every 15 s charging, on
    /// change and on request.
    pub struct RealTimeData {
        /// Trade serial (zeros when idle).
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Gun status.
        status: GunStatus,
        /// Whether the gun is back in its holster.
        holstered: Holstered,
        /// Whether the gun is plugged into a vehicle.
        plugged: Plugged,
        /// Output voltage.
        output_voltage: Voltage = VoltageDeciVolt16 => "output_voltage_v",
        /// Output current.
        output_current: Current = CurrentDeciAmp16 => "output_current_a",
        /// Gun-wire temperature.
        gun_temperature: Temperature = TemperatureDegree8Offset50 => "gun_temperature_c",
        /// Gun-wire code (0 if none).
        gun_wire_code: HexBytes<8>,
        /// State of charge in % (0 on AC piles).
        soc: u8 => "soc_pct",
        /// Highest battery temperature.
        battery_max_temperature: Temperature = TemperatureDegree8Offset50 => "battery_max_temperature_c",
        /// Time charged so far.
        charged: Minutes = DurationMinute16 => "charged_min",
        /// Estimated time remaining.
        remaining: Minutes = DurationMinute16 => "remaining_min",
        /// Energy charged.
        energy: Energy = EnergyDeciWh32 => "energy_kwh",
        /// Energy including losses (计损); real piles send 0.
        loss_energy: Energy = EnergyDeciWh32 => "loss_energy_kwh",
        /// Amount charged so far (energy + service fee).
        amount: Money = MoneyCentiFen32 => "amount_yuan",
        /// Hardware fault bits.
        faults: HardwareFaults,
    }
}

// ---- GB/T 27930 BMS frames -----------------------------------------------------------------

wire_struct! {
    /// 0x15 ↑ charging handshake (充电握手, BHM/BRM).
    pub struct Handshake {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// BMS protocol version (3 bytes).
        bms_protocol_version: HexBytes<3>,
        /// Battery chemistry.
        battery_type: BatteryType,
        /// Rated capacity in 0.1 Ah.
        rated_capacity_deci_ah: u16,
        /// Rated total voltage.
        rated_voltage: Voltage = VoltageDeciVolt16 => "rated_voltage_v",
        /// Battery manufacturer (4 ASCII bytes).
        manufacturer: Ascii<4>,
        /// Battery pack serial number.
        pack_serial: u32,
        /// Manufacture year − 1985.
        manufacture_year_since_1985: u8,
        /// Manufacture month.
        manufacture_month: u8,
        /// Manufacture day.
        manufacture_day: u8,
        /// Charge count (3 bytes, little-endian).
        charge_count: HexBytes<3>,
        /// Ownership: 0 leased, 1 own.
        ownership: u8,
        /// Reserved.
        reserved: u8,
        /// Vehicle identification number.
        vin: Ascii<17>,
        /// BMS software version (8 bytes).
        bms_software_version: HexBytes<8>,
    }
}

wire_struct! {
    /// 0x17 ↑ parameter configuration (参数配置, BCP/CML).
    pub struct ParameterConfig {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Highest allowed cell voltage in 0.01 V.
        cell_max_voltage_centi_v: u16,
        /// Highest allowed charging current.
        max_current: Current = CurrentDeciAmp16Offset400 => "max_current_a",
        /// Nominal battery energy.
        nominal_energy: Energy = EnergyDeciKwh16 => "nominal_energy_kwh",
        /// Highest allowed total voltage.
        max_total_voltage: Voltage = VoltageDeciVolt16 => "max_total_voltage_v",
        /// Highest allowed temperature.
        max_temperature: Temperature = TemperatureDegree8Offset50 => "max_temperature_c",
        /// State of charge.
        soc: Permille = RatioDeciPercent16 => "soc_pct",
        /// Present battery voltage.
        battery_voltage: Voltage = VoltageDeciVolt16 => "battery_voltage_v",
        /// Pile's highest output voltage.
        pile_max_voltage: Voltage = VoltageDeciVolt16 => "pile_max_voltage_v",
        /// Pile's lowest output voltage.
        pile_min_voltage: Voltage = VoltageDeciVolt16 => "pile_min_voltage_v",
        /// Pile's highest output current.
        pile_max_current: Current = CurrentDeciAmp16Offset400 => "pile_max_current_a",
        /// Pile's lowest output current.
        pile_min_current: Current = CurrentDeciAmp16Offset400 => "pile_min_current_a",
    }
}

wire_struct! {
    /// 0x19 ↑ charge end (充电结束, BSD/CSD).
    pub struct ChargeEnd {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Final state of charge in %.
        soc: u8 => "soc_pct",
        /// Lowest cell voltage in 0.01 V.
        cell_min_voltage_centi_v: u16,
        /// Highest cell voltage in 0.01 V.
        cell_max_voltage_centi_v: u16,
        /// Lowest battery temperature.
        min_temperature: Temperature = TemperatureDegree8Offset50 => "min_temperature_c",
        /// Highest battery temperature.
        max_temperature: Temperature = TemperatureDegree8Offset50 => "max_temperature_c",
        /// Charging time.
        charged: Minutes = DurationMinute16 => "charged_min",
        /// Energy output.
        energy: Energy = EnergyDeciKwh16 => "energy_kwh",
        /// Charger number.
        charger_number: u32,
    }
}

wire_struct! {
    /// 0x1B ↑ error report (错误报文, BEM/CEM): 2-bit flags per message (`00` normal,
    /// `01` timeout, `10` untrusted).
    pub struct ErrorReport {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// The 8 bytes of 2-bit timeout flags, in specification order.
        flags: HexBytes<8>,
    }
}

wire_struct! {
    /// 0x1D ↑ BMS stop (充电阶段 BMS 中止, BST) and 0x21 ↑ charger stop (充电机中止, CST).
    pub struct StageStop {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Stop reason, 2-bit groups.
        reason_bits: u8,
        /// Fault, 2-bit groups.
        fault_bits: u16,
        /// Error, 2-bit groups.
        error_bits: u8,
    }
}

wire_struct! {
    /// 0x23 ↑ BMS demand and charger output (BCL/BCS/CCS), every 15 s.
    pub struct BmsDemand {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Voltage demand.
        voltage_demand: Voltage = VoltageDeciVolt16 => "voltage_demand_v",
        /// Current demand.
        current_demand: Current = CurrentDeciAmp16Offset400 => "current_demand_a",
        /// Charging mode: 1 constant voltage, 2 constant current.
        mode: u8,
        /// Measured charging voltage.
        measured_voltage: Voltage = VoltageDeciVolt16 => "measured_voltage_v",
        /// Measured charging current.
        measured_current: Current = CurrentDeciAmp16Offset400 => "measured_current_a",
        /// Highest cell voltage (bits 1–12, 0.01 V) and its group (bits 13–16).
        max_cell_voltage_and_group: u16,
        /// State of charge in %.
        soc: u8 => "soc_pct",
        /// Estimated time remaining.
        remaining: Minutes = DurationMinute16 => "remaining_min",
        /// Pile output voltage.
        output_voltage: Voltage = VoltageDeciVolt16 => "output_voltage_v",
        /// Pile output current.
        output_current: Current = CurrentDeciAmp16Offset400 => "output_current_a",
        /// Time charged so far.
        charged: Minutes = DurationMinute16 => "charged_min",
    }
}

wire_struct! {
    /// 0x25 ↑ BMS information (BSM), every 15 s.
    pub struct BmsInfo {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Index of the cell with the highest voltage.
        max_cell_voltage_index: u8,
        /// Highest battery temperature.
        max_temperature: Temperature = TemperatureDegree8Offset50 => "max_temperature_c",
        /// Probe of the highest temperature.
        max_temperature_probe: u8,
        /// Lowest battery temperature.
        min_temperature: Temperature = TemperatureDegree8Offset50 => "min_temperature_c",
        /// Probe of the lowest temperature.
        min_temperature_probe: u8,
        /// 2-bit status flags: cell voltage, SOC, over-current, over-temperature, insulation,
        /// connector, charging allowed.
        status_bits: u16,
    }
}

// ---- starting and stopping -----------------------------------------------------------------

wire_struct! {
    /// 0x31 ↑ the pile asks to start (充电桩主动申请启动充电) after a card swipe or VIN.
    pub struct StartRequest {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Card, account or VIN.
        start_mode: StartMode,
        /// Whether a password is needed (0 no, 1 yes).
        password_required: u8,
        /// Account or physical card number.
        card: PhysicalCard,
        /// Password, MD5 (16 bytes).
        password_md5: HexBytes<16>,
        /// VIN (sent in reversed byte order; decoded in normal order).
        vin: Ascii<17> = crate::codec::fields::ReversedAscii,
    }
}

wire_struct! {
    /// 0x32 ↓ the platform confirms a pile-initiated start (运营平台确认启动充电).
    pub struct StartAuthorization {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Logical card number.
        logical_card: LogicalCard,
        /// Account balance.
        balance: Money = MoneyFen32 => "balance_yuan",
        /// Whether the start is authorised.
        authorized: OneIsSuccess,
        /// Why not.
        failure: AuthFailure,
    }
}

wire_struct! {
    /// 0x33 ↑ remote start reply (远程启机命令回复).
    pub struct RemoteStartReply {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Whether the pile started.
        result: OneIsSuccess,
        /// Why not.
        failure: StartFailure,
    }
}

wire_struct! {
    /// 0x34 ↓ remote start (运营平台远程控制启机).
    pub struct RemoteStart {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Logical card number.
        logical_card: LogicalCard,
        /// Physical card number.
        physical_card: PhysicalCard,
        /// Account balance.
        balance: Money = MoneyFen32 => "balance_yuan",
    }
}

wire_struct! {
    /// 0x35 ↑ remote stop reply (远程停机命令回复).
    pub struct RemoteStopReply {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Whether the pile stopped.
        result: OneIsSuccess,
        /// Why not.
        failure: StopFailure,
    }
}

wire_struct! {
    /// 0x36 ↓ remote stop (运营平台远程停机).
    pub struct RemoteStop {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
    }
}

wire_struct! {
    /// The usage of one time-of-use class in a transaction record.
    pub struct ClassUsage {
        /// Unit price (energy + service).
        price: EnergyPrice = PriceMilliFenPerKwh32 => "price_yuan_per_kwh",
        /// Energy.
        energy: Energy = EnergyDeciWh32 => "energy_kwh",
        /// Energy including losses.
        loss_energy: Energy = EnergyDeciWh32 => "loss_energy_kwh",
        /// Amount.
        amount: Money = MoneyCentiFen32 => "amount_yuan",
    }
}

wire_struct! {
    /// 0x3B ↑ transaction record (交易记录), resent until confirmed with 0x40.
    pub struct TransactionRecord {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// When charging started.
        start_time: LocalDateTime = Cp56Time2a,
        /// When charging ended.
        end_time: LocalDateTime = Cp56Time2a,
        /// Sharp (尖) usage.
        sharp: ClassUsage,
        /// Peak (峰) usage.
        peak: ClassUsage,
        /// Flat (平) usage.
        flat: ClassUsage,
        /// Valley (谷) usage.
        valley: ClassUsage,
        /// Meter reading at the start.
        meter_start: Energy = EnergyDeciWh40 => "meter_start_kwh",
        /// Meter reading at the end.
        meter_stop: Energy = EnergyDeciWh40 => "meter_stop_kwh",
        /// Total energy.
        total_energy: Energy = EnergyDeciWh32 => "total_energy_kwh",
        /// Total energy including losses.
        total_loss_energy: Energy = EnergyDeciWh32 => "total_loss_energy_kwh",
        /// Total amount (energy + service fee).
        total_amount: Money = MoneyCentiFen32 => "total_amount_yuan",
        /// VIN.
        vin: Ascii<17>,
        /// How the transaction was started.
        trade_kind: TradeKind,
        /// When the transaction was recorded.
        trade_time: LocalDateTime = Cp56Time2a,
        /// Why charging ended.
        stop_reason: StopReason,
        /// Physical card number.
        physical_card: PhysicalCard,
    }
}

wire_struct! {
    /// 0x40 ↓ transaction record confirmation (交易记录确认).
    pub struct TransactionAck {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Whether the record was accepted.
        result: RecordCheck,
    }
}

// ---- accounts and offline cards ------------------------------------------------------------

wire_struct! {
    /// 0x41 ↑ balance update reply (余额更新应答).
    pub struct BalanceUpdateReply {
        /// Pile code.
        pile_code: PileCode,
        /// Physical card number.
        physical_card: PhysicalCard,
        /// Result.
        result: BalanceUpdateResult,
    }
}

wire_struct! {
    /// 0x42 ↓ remote balance update (远程账户余额更新).
    pub struct BalanceUpdate {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Physical card number (0 = do not check).
        physical_card: PhysicalCard,
        /// New balance.
        balance: Money = MoneyFen32 => "balance_yuan",
    }
}

wire_struct! {
    /// One offline card: its printed and physical numbers.
    pub struct OfflineCard {
        /// Logical card number.
        logical_card: LogicalCard,
        /// Physical card number.
        physical_card: PhysicalCard,
    }
}

wire_struct! {
    /// 0x43 ↑ offline card sync reply (离线卡数据同步应答).
    pub struct OfflineCardSyncReply {
        /// Pile code.
        pile_code: PileCode,
        /// Whether the cards were saved.
        result: OneIsSuccess,
        /// Failure reason (1 card format error, 2 storage full).
        failure: u8,
    }
}

wire_struct! {
    /// 0x44 ↓ offline card sync (离线卡数据同步), at most 15 cards.
    pub struct OfflineCardSync {
        /// Pile code.
        pile_code: PileCode,
        /// The cards.
        cards: Vec<OfflineCard> = Counted,
    }
}

wire_struct! {
    /// One card's result in an offline card clear reply.
    pub struct CardClearResult {
        /// Physical card number.
        physical_card: PhysicalCard,
        /// Whether it was cleared.
        result: OneIsSuccess,
        /// Failure reason (1 card not found).
        failure: u8,
    }
}

wire_struct! {
    /// 0x45 ↑ offline card clear reply (离线卡数据清除应答).
    pub struct OfflineCardClearReply {
        /// Pile code.
        pile_code: PileCode,
        /// One result per card.
        results: Vec<CardClearResult> = ToEnd,
    }
}

wire_struct! {
    /// 0x46 ↓ offline card clear (离线卡数据清除), at most 24 cards.
    pub struct OfflineCardClear {
        /// Pile code.
        pile_code: PileCode,
        /// Physical card numbers.
        cards: Vec<PhysicalCard> = Counted,
    }
}

wire_struct! {
    /// One card's result in an offline card query reply.
    pub struct CardQueryResult {
        /// Physical card number.
        physical_card: PhysicalCard,
        /// Whether the pile holds the card (0 no, 1 yes).
        present: u8,
    }
}

wire_struct! {
    /// 0x47 ↑ offline card query reply (离线卡数据查询应答).
    pub struct OfflineCardQueryReply {
        /// Pile code.
        pile_code: PileCode,
        /// One result per card.
        results: Vec<CardQueryResult> = ToEnd,
    }
}

wire_struct! {
    /// 0x48 ↓ offline card query (离线卡数据查询), at most 26 cards.
    pub struct OfflineCardQuery {
        /// Pile code.
        pile_code: PileCode,
        /// Physical card numbers.
        cards: Vec<PhysicalCard> = Counted,
    }
}

// ---- settings, time, parking locks, maintenance --------------------------------------------

wire_struct! {
    /// A reply from the pile that carries only a result: 0x51 work parameters, 0x91 reboot.
    pub struct PileResult {
        /// Pile code.
        pile_code: PileCode,
        /// `failure` or `success`.
        result: OneIsSuccess,
    }
}

wire_struct! {
    /// 0x52 ↓ work parameters (工作参数设置).
    pub struct WorkParameters {
        /// Pile code.
        pile_code: PileCode,
        /// Whether the pile may work.
        permission: WorkPermission,
        /// Highest output power in % of rated power (30–100).
        max_output: u8 => "max_output_pct",
    }
}

wire_struct! {
    /// 0x55 ↑ time sync reply (对时设置应答) and 0x56 ↓ time sync (对时设置).
    pub struct ClockSync {
        /// Pile code.
        pile_code: PileCode,
        /// The time (Beijing time).
        time: LocalDateTime = Cp56Time2a,
    }
}

wire_struct! {
    /// 0x61 ↑ parking lock status (地锁数据上送).
    pub struct ParkingLockStatus {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Lock position.
        position: LockPosition,
        /// Whether the space is occupied.
        space: SpaceState,
        /// Lock battery level in %.
        battery: u8 => "battery_pct",
        /// Alarm.
        alarm: LockAlarm,
        /// Reserved.
        reserved: HexBytes<4>,
    }
}

wire_struct! {
    /// 0x62 ↓ raise or lower a parking lock (遥控地锁升锁与降锁).
    pub struct ParkingLockCommand {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Raise or lower.
        command: LockCommand,
        /// Reserved.
        reserved: HexBytes<4>,
    }
}

wire_struct! {
    /// 0x63 ↑ parking lock command result (充电桩返回数据).
    pub struct ParkingLockReply {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// `failure` or `success`.
        result: OneIsSuccess,
        /// Reserved.
        reserved: HexBytes<4>,
    }
}

wire_struct! {
    /// 0x92 ↓ remote reboot (远程重启).
    pub struct Reboot {
        /// Pile code.
        pile_code: PileCode,
        /// Now or when idle.
        when: ExecuteWhen,
    }
}

wire_struct! {
    /// 0x93 ↑ remote update reply (远程更新应答).
    pub struct UpdateReply {
        /// Pile code.
        pile_code: PileCode,
        /// Result.
        result: UpdateResult,
    }
}

wire_struct! {
    /// 0x94 ↓ remote update over FTP (远程更新).
    pub struct RemoteUpdate {
        /// Pile code.
        pile_code: PileCode,
        /// DC or AC.
        pile_model: PileModel,
        /// Pile power in kW.
        power_kw: u16,
        /// FTP server address.
        server: Ascii<16>,
        /// FTP port.
        port: u16,
        /// FTP user.
        user: Ascii<16>,
        /// FTP password.
        password: Ascii<16>,
        /// Path of the firmware file.
        path: Ascii<32>,
        /// Now or when idle.
        when: ExecuteWhen,
        /// Download timeout in minutes.
        download_timeout: Minutes = DurationMinute8 => "download_timeout_min",
    }
}

// ---- dual-gun parallel charging ------------------------------------------------------------

wire_struct! {
    /// 0xA1 ↑ the pile asks to start parallel charging (主动申请并充).
    pub struct ParallelStartRequest {
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Card, account or VIN.
        start_mode: StartMode,
        /// Whether a password is needed.
        password_required: u8,
        /// Account or physical card number.
        card: PhysicalCard,
        /// Password, MD5.
        password_md5: HexBytes<16>,
        /// VIN (reversed on the wire).
        vin: Ascii<17> = crate::codec::fields::ReversedAscii,
        /// Master or slave gun.
        role: ParallelRole,
        /// Parallel-charging serial.
        parallel_serial: ParallelSerial,
    }
}

wire_struct! {
    /// 0xA2 ↓ the platform confirms parallel charging (确认并充启动).
    pub struct ParallelStartAuthorization {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Logical card number.
        logical_card: LogicalCard,
        /// Account balance.
        balance: Money = MoneyFen32 => "balance_yuan",
        /// Whether the start is authorised.
        authorized: OneIsSuccess,
        /// Why not.
        failure: AuthFailure,
        /// Parallel-charging serial.
        parallel_serial: ParallelSerial,
    }
}

wire_struct! {
    /// 0xA3 ↑ remote parallel start reply (远程并充启机回复).
    pub struct ParallelStartReply {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Whether the pile started.
        result: OneIsSuccess,
        /// Why not.
        failure: StartFailure,
        /// Master or slave gun.
        role: ParallelRole,
        /// Parallel-charging serial.
        parallel_serial: ParallelSerial,
    }
}

wire_struct! {
    /// 0xA4 ↓ remote parallel start (远程控制并充启机).
    pub struct ParallelStart {
        /// Trade serial.
        trade_serial: TradeSerial,
        /// Pile code.
        pile_code: PileCode,
        /// Gun number.
        gun: u8 = BcdByte,
        /// Logical card number.
        logical_card: LogicalCard,
        /// Physical card number.
        physical_card: PhysicalCard,
        /// Account balance.
        balance: Money = MoneyFen32 => "balance_yuan",
        /// Parallel-charging serial.
        parallel_serial: ParallelSerial,
    }
}

// ---- QR code prefix ------------------------------------------------------------------------

wire_struct! {
    /// 0xF0 ↓ QR code prefix (下发二维码前缀).
    pub struct QrPrefix {
        /// Pile code.
        pile_code: PileCode,
        /// Prefix layout.
        format: QrFormat,
        /// The prefix (a URL).
        prefix: String = LengthPrefixedText,
    }
}
