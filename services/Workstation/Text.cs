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
    public const string DevTokensOff = "此服务器未开启开发登录，请用统一身份认证登录。";
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

    // ---- 统一身份认证 production sign-in (Pages/SignIn/Authentication.razor) ----
    public const string OidcSignIn = "统一身份认证登录";
    public const string OidcSignInNote = "使用本合作社的统一身份认证账号登录。";
    public const string OidcRedirecting = "正在转到统一身份认证…";
    public const string OidcCompleting = "正在完成登录…";
    public const string OidcNotConfigured = "此服务器未配置统一身份认证。";
    public const string OidcNoRole = "统一身份认证返回的令牌没有合作社或角色信息，请联系管理员。";
    public const string SignedOut = "已退出。";
    public static string OidcFailed(string? message) => $"统一身份认证登录失败：{message}";

    // ---- 收购小票 the receipt slip (Pages/Slip) ----
    public const string SlipTitle = "收购小票";
    public const string SlipReceiptNo = "收货单号";
    public const string SlipProvisionalNo = "临时单号";
    public const string SlipNotSynced = "离线登记，尚未上传；联网后由服务器编正式单号。";
    public const string SlipTime = "日期时间";
    public const string SlipMemberNo = "社员号";
    public const string SlipMemberName = "姓名";
    public const string SlipClerk = "收货员";
    public const string SlipQrAlt = "社员本人页面的二维码";
    public const string SlipQrNote = "扫码查看您的交售、分级和结算";
    public const string SlipNoQr = "本机暂无该社员的二维码，联网后可补打小票。";
    public const string SlipPrint = "打印小票";
    public const string SlipReprint = "补打小票";
    public const string SlipPaperA6 = "A6 纸（不勾选为 80 毫米小票纸）";
    public const string SlipBack = "继续收货";
    public const string SlipLoading = "正在读取收货单…";
    public const string SlipNotFound = "本机没有这张临时单。";
    public const string SlipOffline = "网络不通，读不到这张收货单；请联网后重试。";

    // ---- 电子秤 the scale on the receiving screen (Pages/Receiving/ScalePanel.razor) ----
    public const string ScaleConnect = "连接电子秤";
    public const string ScaleDisconnect = "断开电子秤";
    public const string ScaleUnsupported = "此浏览器不能连接串口电子秤（需要电脑上的 Chrome 或 Edge），请手动输入毛重。";
    public const string ScaleBaud = "波特率";
    public const string ScaleWaiting = "等待电子秤数据…";
    public const string ScaleStable = "稳定";
    public const string ScaleUnstable = "不稳定";
    public const string ScaleUseWeight = "使用此重量";
    public const string ScaleOverload = "超载或仪表报错";
    public const string ScaleGarbled = "数据有误（请检查串口线和波特率）";
    public const string ScaleClosed = "电子秤已断开。";
    public static string ScaleKg(decimal kg) => $"{kg:0.###} 公斤";
    public static string ScaleNegative(decimal kg) => $"负重量 {kg:0.###} 公斤（请去皮或清零）";
    public static string ScalePortFailed(string message) => $"串口出错：{message}";

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
