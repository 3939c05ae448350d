namespace MelonChain.Workstation;

/// <summary>Every word the clerk reads (zh-CN), in one place, so a wording is changed once and screens stay consistent.</summary>
public static class Text
{
    public const string AppName = "合作社工作台";
    public const string PageNotFound = "没有这个页面。";
    public const string SignIn = "登录";
    public const string SignOut = "退出";
    public const string SignInFirst = "请先登录。";
    public const string Cooperative = "合作社编号";
    public const string Role = "角色";
    public const string Subject = "工号";
    public const string DevSignInNote = "开发环境登录：选择合作社和角色，由网关签发令牌。";
    public const string DevTokensOff = "此服务器未开启开发登录。正式环境的统一身份认证（OpenID Connect）尚未接入。";
    public const string BadToken = "服务器返回的令牌无法识别。";
    public const string EmptyAnswer = "服务器没有返回内容。";
    public const string NetworkDown = "网络不通，未能连接服务器；请稍后重试（本次收货的幂等键已保留，重试不会重复登记）。";

    public const string Receiving = "收货";
    public const string FindGrower = "查找社员（社员号或姓名）";
    public const string NoGrowerFound = "没有找到该社员。";
    public const string Grower = "社员";
    public const string ChangeGrower = "更换";
    public const string ContractGrower = "合同种植户";
    public const string MemberGrower = "社员种植户";
    public const string Contract = "合同";
    public const string HarvestedOn = "采收日期";
    public const string GrossKg = "毛重（公斤）";
    public const string Crates = "筐数";
    public const string CertificatePresented = "已出示承诺达标合格证";
    public const string CertificateNo = "合格证编号";
    public const string Note = "备注";
    public const string Save = "保存";
    public const string Saving = "正在保存…";
    public const string Saved = "已保存，收货单号";
    public const string RoleMayNotReceive = "当前角色不能登记收货（需要收货员或管理员）。";
    public const string LoadingGrowers = "正在读取社员名册…";

    public const string GrowerRequired = "请选择社员。";
    public const string HarvestedOnRequired = "请填写采收日期。";
    public const string GrossKgRequired = "请填写毛重。";
    public const string GrossKgNotNumber = "毛重必须是数字，例如 120.5。";
    public const string GrossKgPositive = "毛重必须大于 0。";
    public static string GrossKgAtMost(decimal maxKg) => $"毛重不能超过 {maxKg} 公斤。";
    public const string GrossKgGrams = "毛重最多保留三位小数（精确到克）。";
    public const string CratesRange = "筐数必须是 0 到 500 之间的整数。";
    public const string CertificateNoWithoutCertificate = "未出示合格证时不填写编号。";

    // ── Offline queue and 挑选 grading (Offline/, Pages/Queue/, Pages/Grading/) ──────────────────────────────────────
    public const string Offline = "离线";
    public const string Queue = "待发送";
    public const string QueueTitle = "待发送队列";
    public const string QueueEmpty = "没有待发送的记录。";
    public const string QueueNote = "断网时保存的收货和挑选记录保存在本机，联网后按保存顺序逐条发送，每条只登记一次。被服务器拒绝的记录会停在这里，需要修改后重新发送或明确放弃，后面的记录在它处理之前不会发送。";
    public const string QueuedSaved = "网络不通，已存入本机待发送队列，临时单号";
    public const string QueuedGrading = "网络不通，挑选结果已存入本机待发送队列，临时编号";
    public const string QueueReceiptDiscarded = "这条挑选对应的收货记录已被放弃，无法发送。";
    public const string QueueOtherClerk = "由其他工号保存，需该工号登录后发送";
    public const string SendNow = "立即发送";
    public const string Resend = "修改后重新发送";
    public const string Discard = "放弃";
    public const string ConfirmDiscard = "确认放弃这条记录？放弃后不会再发送。";
    public const string Confirm = "确认";
    public const string Cancel = "取消";
    public const string CaptureReceipt = "收货";
    public const string CaptureGrading = "挑选";
    public const string CapturedAt = "保存时间";
    public const string ProvisionalNo = "临时单号";
    public const string ReceiptNo = "收货单号";
    public const string StateHeader = "状态";
    public static string StateName(string state) => state switch
    {
        "queued" => "待发送",
        "sent" => "已发送",
        "refused" => "被拒绝，待处理",
        _ => state,
    };

    public const string Grading = "挑选";
    public const string UngradedToday = "今日待挑选";
    public const string GradedToday = "今日已挑选";
    public const string NoUngraded = "今日没有待挑选的收货。";
    public const string QueuedReceipt = "（待发送）";
    public const string GradeKg = "公斤";
    public const string Gross = "毛重";
    public const string Graded = "挑选合计";
    public const string Shrink = "损耗";
    public const string ShrinkLimit = "损耗上限";
    public const string ShrinkLimitUnknown = "损耗上限未知（离线时无法读取），服务器保存时会检查。";
    public static string ShrinkOverLimit(decimal limitPercent) => $"损耗超过上限 {limitPercent}%，服务器会拒绝；请核对各等级重量。";
    public const string GradedOverGross = "挑选合计超过毛重，服务器会拒绝；请核对各等级重量。";
    public const string GradeLinesRequired = "请至少填写一个等级的重量。";
    public const string GradeKgNotNumber = "重量必须是数字，例如 35.5。";
    public const string GradeKgNegative = "重量不能小于 0。";
    public const string SaveGrading = "保存挑选";
    public const string GradingSaved = "已保存挑选，第";
    public const string GradingSavedTail = "次挑选";
    public const string Reverse = "撤销挑选";
    public const string ReversalReason = "撤销原因";
    public const string ReasonRequired = "请填写撤销原因。";
    public const string ConfirmReversal = "确认撤销";
    public const string Reversed = "已撤销，可重新挑选。";
    public const string ReversalOnline = "撤销需要联网（服务器要核对这批货是否已装箱）。";
    public const string RoleMayNotGrade = "当前角色不能挑选或撤销（需要收货员或管理员）。";
    public const string Loading = "正在读取…";
    public static string GradeName(string grade) => grade switch
    {
        "premium" => "特级",
        "grade1" => "一级",
        "grade2" => "二级",
        "offgrade" => "等外",
        _ => grade,
    };

    public static readonly IReadOnlyList<(string Code, string Name)> Roles =
    [
        ("clerk", "收货员"), ("admin", "管理员"), ("officer", "合同专员"), ("dispatcher", "调度员"), ("courier", "快递员"), ("buyer", "采购商"),
    ];

    public static string RoleName(string role) => Roles.FirstOrDefault(r => r.Code == role).Name ?? role;

    /// <summary>The receipt's JSON fields as the clerk knows them, for the server's validation messages.</summary>
    public static string FieldName(string field) => field switch
    {
        "growerId" => Grower,
        "harvestedOn" => HarvestedOn,
        "grossKg" => GrossKg,
        "crates" => Crates,
        "contractId" => Contract,
        "note" => Note,
        "growerCertificate.number" => CertificateNo,
        "role" => Role,
        "subject" => Subject,
        "cooperativeId" => Cooperative,
        "capturedAt" => CapturedAt,
        "lines" => Graded,
        "reason" => ReversalReason,
        _ when field.StartsWith("lines[", StringComparison.Ordinal) => Graded,
        _ => field,
    };

    public static string ForStatus(int status) => status switch
    {
        400 => "请求有误",
        401 => "未登录或登录已过期",
        403 => "当前角色无权进行此操作",
        404 => "未找到",
        409 => "与现有记录冲突",
        422 => "未通过规则检查",
        429 => "请求过于频繁",
        >= 500 => "服务器出错",
        _ => "请求失败",
    };
}
