//! Word lists the names and descriptions are drawn from: English words for
//! identifiers, each with the Chinese the published docs would use for it.
//!
//! Every English word is one capitalised word (or an acronym the docs use),
//! so names built by concatenation never split differently into Rust words.

/// Nouns: parts of action, structure and field names.
pub const NOUNS: &[(&str, &str)] = &[
    ("Device", "设备"),
    ("Family", "家庭"),
    ("Room", "房间"),
    ("Scene", "场景"),
    ("Timer", "定时器"),
    ("Fence", "围栏"),
    ("Product", "产品"),
    ("Firmware", "固件"),
    ("Member", "成员"),
    ("Share", "分享"),
    ("Gateway", "网关"),
    ("Resource", "资源"),
    ("Automation", "自动化"),
    ("Alarm", "告警"),
    ("Location", "位置"),
    ("Event", "事件"),
    ("Message", "消息"),
    ("Property", "属性"),
    ("Rule", "规则"),
    ("Camera", "摄像头"),
    ("Sensor", "传感器"),
    ("Light", "灯"),
    ("Lock", "门锁"),
    ("Schedule", "日程"),
    ("Report", "报告"),
    ("Task", "任务"),
    ("Channel", "通道"),
    ("Zone", "区域"),
    ("Profile", "档案"),
    ("Account", "账号"),
    ("Session", "会话"),
    ("Template", "模板"),
    ("Category", "分类"),
    ("Record", "记录"),
    ("Config", "配置"),
    ("Policy", "策略"),
    ("Notice", "通知"),
    ("Package", "套餐"),
    ("Plan", "计划"),
    ("Quota", "配额"),
    ("Region", "地域"),
    ("Site", "站点"),
    ("Floor", "楼层"),
    ("Building", "楼宇"),
    ("Tag", "标签"),
    ("Batch", "批次"),
    ("Job", "作业"),
    ("Log", "日志"),
    ("Metric", "指标"),
    ("Stream", "流"),
    ("Video", "视频"),
    ("Audio", "音频"),
    ("Song", "歌曲"),
    ("Playlist", "歌单"),
    ("Album", "专辑"),
    ("Singer", "歌手"),
    ("Voice", "语音"),
    ("Panel", "面板"),
    ("Button", "按键"),
    ("Socket", "插座"),
    ("Switch", "开关"),
    ("Curtain", "窗帘"),
    ("Heater", "加热器"),
    ("Purifier", "净化器"),
    ("Meter", "电表"),
    ("Battery", "电池"),
    ("Charger", "充电桩"),
    ("Vehicle", "车辆"),
    ("Driver", "司机"),
    ("Route", "路线"),
    ("Order", "订单"),
    ("Coupon", "优惠券"),
    ("Invoice", "发票"),
    ("Contract", "合同"),
    ("Insurance", "保单"),
    ("Warranty", "保修"),
    ("Ticket", "工单"),
    ("Feedback", "反馈"),
    ("Survey", "问卷"),
    ("Banner", "横幅"),
    ("Widget", "组件"),
    ("Theme", "主题"),
    ("Language", "语言"),
    ("Currency", "货币"),
    ("Weather", "天气"),
    ("Energy", "能耗"),
    ("Water", "用水"),
    ("Air", "空气"),
    ("Sleep", "睡眠"),
    ("Health", "健康"),
    ("Pet", "宠物"),
    ("Garden", "花园"),
    ("Garage", "车库"),
    ("Door", "门"),
    ("Window", "窗户"),
    ("Elevator", "电梯"),
    ("Parking", "停车"),
    ("Visitor", "访客"),
    ("Card", "卡片"),
    ("Face", "人脸"),
    ("Fingerprint", "指纹"),
    ("Key", "钥匙"),
    ("OTA", "OTA 升级"),
    ("URL", "链接"),
];

/// Verbs: the second word of an action name (`App` + verb + nouns).
pub const VERBS: &[(&str, &str)] = &[
    ("Get", "获取"),
    ("Describe", "查询"),
    ("Create", "创建"),
    ("Modify", "修改"),
    ("Delete", "删除"),
    ("Update", "更新"),
    ("Bind", "绑定"),
    ("Unbind", "解绑"),
    ("List", "列出"),
    ("Send", "发送"),
    ("Run", "执行"),
    ("Reset", "重置"),
    ("Publish", "发布"),
    ("Report", "上报"),
    ("Query", "查询"),
    ("Set", "设置"),
    ("Enable", "启用"),
    ("Disable", "停用"),
    ("Sync", "同步"),
    ("Transfer", "转移"),
    ("Import", "导入"),
    ("Export", "导出"),
    ("Check", "检查"),
    ("Verify", "校验"),
    ("Apply", "申请"),
    ("Cancel", "取消"),
    ("Start", "启动"),
    ("Stop", "停止"),
    ("Control", "控制"),
    ("Invite", "邀请"),
];

/// Last words of action names (`AppGetDeviceList`).
pub const ACTION_TAILS: &[(&str, &str)] = &[
    ("List", "列表"),
    ("Info", "信息"),
    ("Status", "状态"),
    ("History", "历史"),
    ("Detail", "详情"),
    ("Token", "令牌"),
    ("Setting", "设置"),
    ("Stats", "统计"),
];

/// Last words of structure names (`AlarmDetailItem`).
pub const STRUCT_TAILS: &[(&str, &str)] = &[
    ("Info", "信息"),
    ("Item", "条目"),
    ("Detail", "详情"),
    ("Summary", "摘要"),
    ("Entry", "记录项"),
    ("Params", "参数"),
    ("Result", "结果"),
    ("Data", "数据"),
    ("Node", "节点"),
    ("Option", "选项"),
];

/// What a field-name suffix says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    Str,
    /// A signed integer.
    Int,
    /// An unsigned integer.
    Uint,
    /// A floating-point number.
    Float,
    /// A boolean.
    Bool,
    /// Untyped JSON.
    Json,
    /// A list of strings.
    StrList,
    /// A list of integers.
    IntList,
}

/// Field-name suffixes with their Chinese and the kind of value they usually
/// name (`DeviceId`: text, `CreateTime`: integer).
pub const FIELD_TAILS: &[(&str, &str, Kind)] = &[
    ("Id", " ID", Kind::Str),
    ("Name", "名称", Kind::Str),
    ("Type", "类型", Kind::Int),
    ("Status", "状态", Kind::Int),
    ("Time", "时间（秒级 Unix 时间戳）", Kind::Int),
    ("Count", "数量", Kind::Int),
    ("Url", "地址", Kind::Str),
    ("Ids", " ID 列表", Kind::StrList),
    ("Version", "版本", Kind::Str),
    ("Enabled", "是否启用", Kind::Bool),
    ("Ratio", "比例", Kind::Float),
    ("Size", "大小（字节）", Kind::Uint),
    ("Desc", "描述", Kind::Str),
    ("Value", "取值", Kind::Str),
    ("Level", "等级", Kind::Int),
    ("Code", "编码", Kind::Str),
    ("Mode", "模式", Kind::Int),
    ("Flag", "标志", Kind::Bool),
    ("Extra", "扩展信息", Kind::Json),
    ("Scores", "评分列表", Kind::IntList),
    ("Alias", "别名", Kind::Str),
    ("Icon", "图标", Kind::Str),
    ("Weight", "权重", Kind::Float),
    ("Index", "序号", Kind::Uint),
];

/// Whole field names the docs use everywhere, with their Chinese and kind.
pub const PLAIN_FIELDS: &[(&str, &str, Kind)] = &[
    ("Offset", "分页偏移量", Kind::Int),
    ("Limit", "分页大小，最大值为 100", Kind::Int),
    ("Total", "总数", Kind::Int),
    ("Type", "类型", Kind::Str),
    ("Name", "名称", Kind::Str),
    ("Status", "状态", Kind::Int),
    ("Remark", "备注", Kind::Str),
    ("Latitude", "纬度", Kind::Float),
    ("Longitude", "经度", Kind::Float),
    ("Email", "邮箱", Kind::Str),
    ("PhoneNumber", "手机号", Kind::Str),
    ("CountryCode", "国家号", Kind::Str),
    ("Password", "登录密码", Kind::Str),
    ("VerificationCode", "验证码", Kind::Str),
    ("UserID", "用户 ID", Kind::Str),
    ("NickName", "昵称", Kind::Str),
    ("Avatar", "头像地址", Kind::Str),
    ("Data", "数据（JSON 文本）", Kind::Str),
    ("Enabled", "是否启用", Kind::Bool),
    ("CreateTime", "创建时间", Kind::Int),
    ("UpdateTime", "最后更新时间", Kind::Int),
    ("Context", "请求上下文", Kind::Json),
];

/// Purposes for the `本接口（X）用于…` sentence.
pub const PURPOSES: &[&str] = &[
    "",
    "，调用前需先登录",
    "，结果按创建时间倒序排列",
    "，仅家庭管理员可以调用",
    "，调用成功后立即生效",
    "，最多返回 100 条",
];

/// Error categories with the condition word that completes a specific code
/// (`ResourceNotFound.` + noun + `NotExist`) and its Chinese.
pub const ERROR_KINDS: &[(&str, &str, &str)] = &[
    ("ResourceNotFound", "NotExist", "未创建或是已删除"),
    ("InvalidParameterValue", "Invalid", "参数非法"),
    ("LimitExceeded", "NumExceeded", "数量超出限制"),
    ("FailedOperation", "Busy", "操作进行中，请稍后重试"),
    ("UnauthorizedOperation", "NoPermission", "无权操作"),
    ("ResourceInUse", "Exists", "已存在"),
];

/// Error codes most pages list, with the descriptions the docs give them.
pub const COMMON_ERRORS: &[(&str, &str)] = &[
    ("InternalError", "内部错误"),
    ("InvalidParameterValue", "参数取值错误"),
    ("InvalidAction", "Action 非法"),
    ("ErrorRequiredParamNotFound", "必选参数缺失"),
    ("InvalidParameterValue.InvalidJSON", "请求格式不是 JSON"),
    ("UnauthorizedOperation.NoPermission", "无权操作"),
    ("LimitExceeded", "超出限制"),
    ("FailedOperation", "操作失败"),
    ("ResourceNotFound", "资源不存在"),
];

/// Short text values for examples.
pub const VALUES: &[&str] = &[
    "kitchen-01", "sample", "unit7", "书房", "阳台", "standard", "lamp-204", "QX7TB2LM5D", "2.3.1", "off",
    "7f3c9a10d2b84e6fa05c31e8b9d24c67", "hZ4kPq8W", "QX****5D", "lte", "en-US",
];
