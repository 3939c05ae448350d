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
    public const string GradingReversed = "已撤销，可重新挑选。";
    public const string ReversalOnline = "撤销需要联网（服务器要核对这批货是否已装箱）。";
    public const string RoleMayNotGrade = "当前角色不能挑选或撤销（需要收货员或管理员）。";
    public const string Loading = "正在读取…";
    // GradeName (特级 一级 二级 等外) is the screens' one, below.

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
        _ => ScreenFieldName(field),
    };

    /// <summary>The grading's fields (挑选, its reversal), where "lines" and "reason" are not the order's.</summary>
    public static string GradingFieldName(string field) => field switch
    {
        "lines" => Graded,
        "reason" => ReversalReason,
        _ when field.StartsWith("lines[", StringComparison.Ordinal) => Graded,
        _ => FieldName(field),
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

    // ───── 库存 订单 揽收 结算 召回 合作社 (the screens beyond receiving: Pages/Stock, Orders, Pickups, Settlement, Recall, Cooperative) ─────
    public const string NetworkDownRetry = "网络不通，未能连接服务器；请稍后重试。";
    public const string Required = "必填。";
    public const string Open = "查看";
    public const string Opening = "正在打开…";
    public const string OpenDocumentHere = "浏览器拦截了新窗口：点这里打开";
    public const string Search = "查询";
    public const string More = "更多";
    public const string From = "从";
    public const string To = "到";
    public const string Status = "状态";
    public const string AllStatuses = "全部";
    public const string Grade = "等级";
    public const string BoxesUnit = "箱";

    public const string Orders = "订单";
    public const string Order = "订单";
    public const string RoleMayNotSell = "当前角色不能办理订单、库存和结算（需要收货员或管理员）。";
    public const string NoOrders = "没有符合条件的订单。";
    public const string PlacedAt = "下单时间";
    public const string Buyer = "采购商";
    public const string ChooseBuyer = "请选择采购商";
    public const string BuyerRequired = "请选择采购商。";
    public const string DestinationCity = "收货城市";
    public const string DestinationAddress = "收货地址";
    public const string ContactName = "收货人";
    public const string Phone = "电话";
    public const string Product = "快递产品";
    public const string OrderKg = "公斤";
    public const string PriceYuanPerKg = "单价（元/公斤）";
    public const string LinesRequired = "请至少填写一个等级的公斤数和单价。";
    public const string OrderKgInvalid = "公斤数必须是大于 0 的数字。";
    public static string OrderKgAtMost(decimal kg) => $"每个等级最多 {kg} 公斤。";
    public const string PriceInvalid = "单价必须是金额，例如 12.50（最多两位小数）。";
    public const string NewOrder = "新订单";
    public const string PlaceOrder = "下单";
    public const string Pack = "打包";
    public const string Labels = "箱贴 PDF";
    public const string CancelOrder = "取消订单";
    public const string PackedWithCertificate = "已打包，合格证编号";
    public const string FreshnessAtRisk = "新鲜度提醒：够新鲜的库存不足以装满这张订单，只有用较早采收的批次才能打包。这些瓜送到采购商手上时可能已不新鲜。";
    public const string FreshnessConfirmNoReason = "如仍要打包，请确认使用较早的批次（系统不记录原因；如有需要请在备注或订单沟通中说明）。也可以取消，改用更快或冷链的快递产品。";
    public const string PackOldLots = "确认：使用较早批次打包";
    public const string DoNotPack = "不打包";
    public const string CancelPlacedExplained = "订单尚未打包，取消后立即生效。";
    public const string CancelPackedExplained = "订单已打包，箱子可能已在快递员车上：取消将先通知调度，确认后库存才退回。";
    public const string CancelReason = "取消原因（可不填）";
    public const string ConfirmCancel = "确认取消";
    public const string KeepOrder = "不取消";

    public static string GradeName(string grade) => grade switch
    {
        "premium" => "特级", "grade1" => "一级", "grade2" => "二级", "offgrade" => "等外", _ => grade,
    };

    public static string OrderStatusName(string status) => status switch
    {
        "placed" => "已下单", "packed" => "已打包", "cancel_requested" => "取消中", "collected" => "已揽收",
        "delivered" => "已送达", "partly_delivered" => "部分送达", "undelivered" => "未送达", "settled" => "已结算", "cancelled" => "已取消",
        _ => status,
    };

    /// <summary>Where a box ended (订单's boxes, 异常/理赔).</summary>
    public static string BoxOutcomeName(string? outcome) => outcome switch
    {
        null => "未发出", "in_transit" => "运输中", "delivered" => "已签收", "returned" => "已退回", "lost" => "已丢失", _ => outcome,
    };

    /// <summary>A returned box scanned back in.</summary>
    public static string DispositionName(string? disposition) => disposition switch
    {
        null => "待入库", "restock" => "已重新入库", "write_off" => "已报损", _ => disposition,
    };

    public const string Boxes = "箱子";
    public const string BoxOutcome = "去向";
    public const string NetKg = "净重（公斤）";
    public const string ToExceptions = "异常/理赔";

    public static string ProductName(string product) => product switch
    {
        "express" => "顺丰特快", "standard" => "顺丰标快", "cold" => "顺丰冷运", "land" => "顺丰陆运", "heavy" => "顺丰重货",
        "jd_express" => "京东特快", "jd_cold" => "京东冷链", _ => product,
    };

    /// <summary>An instant as the clerk reads it: China time (UTC+8, no summer time), to the minute.</summary>
    public static string ChinaTime(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm");

    /// <summary>The other screens' JSON fields as the clerk knows them, for the server's validation messages.</summary>
    public static string ScreenFieldName(string field) => field switch
    {
        "buyerId" => Buyer,
        "destination" => DestinationAddress,
        "destination.city" => DestinationCity,
        "destination.address" => DestinationAddress,
        "destination.contactName" => ContactName,
        "destination.phone" => Phone,
        "lines" => OrderLines,
        "product" => Product,
        "reason" => CancelReason,
        "status" => Status,
        "from" => From,
        "to" => To,
        "amountFen" => Amount,
        "year" => SurplusYear,
        "distributableFen" => SurplusDistributable,
        "volumeShareBps" => SurplusVolumeShare,
        _ when field.StartsWith("lines[", StringComparison.Ordinal) => $"{OrderLines}第 {LineNumber(field)} 行{(field.EndsWith(".priceFenPerKg", StringComparison.Ordinal) ? PriceYuanPerKg : field.EndsWith(".kg", StringComparison.Ordinal) ? OrderKg : Grade)}",
        _ => field,
    };

    private static string LineNumber(string field) =>
        field.IndexOf(']') is var close and > 6 && int.TryParse(field[6..close], out var i) ? (i + 1).ToString() : "?";

    public const string OrderLines = "订单明细";

    public const string Stock = "库存";
    public static string StockAsOf(DateOnly today, int maxLotAgeDays) => $"截至 {today:yyyy-MM-dd}；超过 {maxLotAgeDays} 天的批次不再打包发货。";
    public const string AvailableKg = "可售（公斤）";
    public const string FreshKg = "新鲜（公斤）";
    public const string TooOldKg = "过久（公斤）";
    public const string Lots = "批次数";
    public const string ReturningBoxes = "退回途中（箱）";
    public const string ReturningKg = "退回途中（公斤）";
    public const string OldestHarvest = "最早采收";
    public static string DaysOld(int days) => $"{days} 天";
    public const string Refresh = "刷新";

    public const string Pickups = "揽收";
    public const string RoleMayNotSeePickups = "当前角色不能查看揽收（需要收货员、调度员或管理员）。";
    public const string NoPickups = "没有符合条件的揽收。";
    public const string OpenedAt = "生成时间";
    public const string Carrier = "快递公司";
    public const string Courier = "快递员";
    public const string PickupWindow = "揽收时段";
    public const string WhereIsIt = "到哪了";
    public const string WaybillsPdf = "电子面单 PDF";
    public const string ManifestPdf = "交接单 PDF";
    public const string Shipment = "运单";
    public const string PromisedBy = "承诺送达";
    public const string OnTime = "准时";
    public const string Late = "超时";
    public const string Waybills = "运单号";

    public static string PickupStatusName(string status) => status switch
    {
        "open" => "待接单", "accepted" => "已接单", "scheduled" => "已约时间", "collected" => "已揽收", "cancelled" => "已取消", _ => status,
    };

    public static string ShipmentStatusName(string status) => status switch
    {
        "booked" => "已下单", "picked_up" => "已揽件", "in_transit" => "运输中", "out_for_delivery" => "派送中", "delivered" => "已签收",
        "delivery_failed" => "派送失败", "return_to_sender" => "退回", "lost" => "丢失", "cancelled" => "已取消", _ => status,
    };

    public static string CarrierName(string carrier) => carrier switch { "sf" => "顺丰", "jd" => "京东物流", _ => carrier };

    public const string Settlement = "结算";
    public const string SettlePeriod = "结算一个周期";
    public const string Settle = "结算";
    public const string PeriodRequired = "请填写起止日期。";
    public const string Period = "周期";
    public const string SettledAt = "结算时间";
    public const string OrdersUnit = "单";
    public const string Revenue = "销售额";
    public const string Payout = "应付社员";
    public const string TopUp = "保底补差";
    public const string Deductions = "扣款";
    public const string AdvanceNetted = "抵扣预付";
    public const string MemberNo = "社员号";
    public const string StatementPdf = "结算单 PDF";
    public const string Credits = "客诉退款";
    public const string Compensation = "承运商赔付";
    public const string Adjustments = "理赔调整";
    public static string AdjustmentLine(string kind, string grade, Guid orderId, Guid claimId, string? waybillNo = null) => kind switch
    {
        "freight" => $"调整：运费按账单 {GradeName(grade)} · 订单 {orderId.ToString()[^8..]} · 运单 {waybillNo}",
        "credit" => $"调整：客诉理赔 {GradeName(grade)} · 订单 {orderId.ToString()[^8..]} · 理赔 {claimId.ToString()[^8..]}",
        _ => $"调整：承运商赔付 {GradeName(grade)} · 订单 {orderId.ToString()[^8..]} · 理赔 {claimId.ToString()[^8..]}",
    };
    public const string NoStatements = "本周期没有社员结算单。";
    public const string Reversed = "已冲销";
    public static string SettlementOf(DateOnly from, DateOnly to) => $"结算 {from:yyyy-MM-dd} — {to:yyyy-MM-dd}";
    public const string SeasonReport = "产季报告";
    public const string SeasonReportPdf = "产季报告 PDF";

    public const string MemberAccounts = "社员往来账";
    public const string Balance = "余额（合作社应付社员）";
    public const string EnteredAt = "时间";
    public const string EntryKind = "类别";
    public const string Amount = "金额";
    public const string AmountYuan = "金额（元）";
    public const string AmountInvalid = "金额必须大于 0，例如 500 或 500.50。";
    public const string Advance = "预付款";
    public const string Payment = "付款";
    public const string PostMoney = "登记";
    public const string Recorded = "已登记。";

    public static string EntryKindName(string kind) => kind switch
    {
        "advance" => Advance, "payment" => Payment, "settlement" => "结算", "payout" => "结算应付", "top_up" => TopUp, "deduction" => Deductions,
        "surplus_return" => "盈余返还", "netting" => "抵扣", "reversal" => "冲销", "adjustment" => "理赔调整", _ => kind,
    };

    public const string DeductionCatalogue = "扣款目录";
    public const string AdminOnlyDeductions = "扣款目录由管理员修改；收货员只能查看。";
    public const string DeductionName = "名称";
    public const string DeductionBasis = "计算方式";
    public const string DeductionAmount = "数额";
    public const string AllGrades = "全部等级";
    public const string EffectiveFrom = "生效日";
    public const string EffectiveTo = "截止日";
    public const string AddRule = "添加扣款项";
    public const string Remove = "删除";
    public const string SaveCatalogue = "保存扣款目录";
    public const string CatalogueSaved = "扣款目录已保存（已结算的结算单不受影响）。";

    public static string BasisName(string basis) => basis switch
    {
        "per_kg_sold" => "每公斤（分）", "per_box" => "每箱（分）", "revenue_bps" => "销售额万分比", "per_statement" => "每张结算单（分）", _ => basis,
    };

    public const string SurplusReturn = "年度盈余返还";
    public const string AdminOnlySurplus = "盈余返还只能由管理员办理（按交易量返还，每年一次）。";
    public const string SurplusYear = "年度";
    public const string SurplusDistributable = "可分配盈余";
    public const string SurplusDistributableYuan = "可分配盈余（元）";
    public const string SurplusVolumeShare = "按交易量返还比例";
    public const string SurplusVolumeSharePercent = "按交易量返还比例（%，不低于 60）";
    public const string ReturnSurplus = "返还盈余";
    public const string ByVolume = "按交易量返还";
    public const string Retained = "留存";
    public const string MembersUnit = "名社员";

    public const string Recall = "召回";
    public const string RoleMayNotRecall = "当前角色不能查询召回（需要收货员、合同专员或管理员）。";
    public const string RecallBy = "按什么查";
    public const string RecallValueRequired = "请填写或选择要查的内容。";
    public const string ReceivedOn = "收货日期";
    public const string ReceiptNo = "收货单号";
    public const string ChooseReceipt = "请选择收货单";
    public const string DownloadCsv = "下载 CSV";
    public const string TraceCode = "箱码";
    public const string RecalledKg = "涉及公斤";

    public static string RecallKindName(string kind) => kind switch
    {
        "growerId" => "社员", "receiptId" => "收货单", "contractId" => "合同（按合同种植户）", "seedlingBatch" => "种苗批号",
        "harvested" => "采收日期", _ => kind,
    };

    public static string RecallSummary(int growers, int receipts, int lots, decimal gradedKg, decimal inStockKg, int boxes) =>
        $"{growers} 名社员，{receipts} 张收货单，{lots} 个批次，共 {Api.Kilograms.Show(gradedKg)} 公斤；仍在库 {Api.Kilograms.Show(inStockKg)} 公斤；已发出 {boxes} 箱。";

    public const string CooperativeProfile = "合作社";
    public const string AdminOnlyProfile = "合作社资料和快递账号只能由管理员修改。";
    public const string ProfileName = "合作社名称";
    public const string ProfileShortName = "简称";
    public const string ProfileVillage = "村";
    public const string Province = "省";
    public const string City = "市";
    public const string County = "区县";
    public const string Street = "街道地址";
    public const string ReceiptPrefix = "收货单前缀";
    public const string CommissionBps = "佣金（万分比）";
    public const string BoxFeeFen = "箱费（分）";
    public const string MaxShrinkBps = "最大损耗（万分比）";
    public const string MaxLotAgeDays = "批次最长天数";
    public const string CertificateProducer = "合格证：生产者";
    public const string CertificateOrigin = "合格证：产地";
    public const string CertificateContact = "合格证：联系方式";
    public const string CertificateBasis = "合格证：承诺依据";
    public const string SaveProfile = "保存合作社资料";
    public const string SavedNotice = "已保存。";
    public const string CarrierAccounts = "快递月结账号";
    public const string MonthlyAccount = "月结卡号";
    public const string DiscountBps = "折扣（万分比，10000 为无折扣）";
    public const string DefaultFor = "默认城市";
    public const string CitiesHint = "北京、上海";
    public const string AddAccount = "添加账号";
    public const string SaveAccounts = "保存快递账号";

    // ───── 异常/理赔 (Pages/Exceptions): overdue carrier orders, returns scanned back in, buyers' claims, carrier claims ─────
    public const string Exceptions = "异常/理赔";
    public const string RoleMayNotSeeExceptions = "当前角色不能处理异常和理赔（需要收货员、调度员或管理员）。";
    public const string DispatcherSeesOverdueOnly = "调度员只能查看超时未签收的快递单；退货入库和客诉由收货员或管理员办理。";

    public const string OverdueParts = "超时未签收的快递单";
    public const string NoOverdueParts = "没有超时未签收的快递单。";
    public const string CarrierOrder = "快递单";
    public const string MasterWaybill = "主运单号";
    public const string Parcels = "件数";
    public const string CollectedAt = "揽收时间";
    public const string OverdueSince = "超时起";
    public const string LastStatus = "最后状态";
    public const string LastScanAt = "最后扫描";
    public const string OverdueHint = "请联系快递公司查件；快递公司宣布丢失后，在订单里向快递公司索赔。";

    public const string ExceptionOrders = "有退回或丢失的订单";
    public const string NoExceptionOrders = "没有部分送达或未送达的订单。";
    public const string OrderIdLookup = "订单号（完整编号，可从订单页打开）";
    public const string OrderIdInvalid = "请填写完整的订单编号。";
    public const string Lookup = "打开";

    public const string ReturnsToScan = "退货入库";
    public const string NoReturnsToScan = "这张订单没有待入库的退回箱。";
    public const string PickAll = "全选";
    public const string Disposition = "处理方式";
    public const string Restock = "重新入库（按原采收日期）";
    public const string WriteOff = "报损";
    public const string WriteOffReason = "报损原因";
    public const string ScanBackIn = "确认入库";
    public const string PickReturnedBoxes = "请勾选要入库的退回箱。";
    public const string WriteOffReasonRequired = "报损必须填写原因。";
    public const string WaitingReturns = "待入库的退回箱";
    public const string WaitingReturnsHint = "退回的箱子到了：扫描箱码（或标签上的二维码）勾选，或直接勾选，不必知道订单号；可一次处理多张订单的箱子。";
    public const string NoWaitingReturns = "没有待入库的退回箱。";
    public const string ScanTraceCode = "扫描箱码";
    public const string Tick = "勾选";
    public const string ReturnedAt = "退回时间";
    public const string LotsKg = "批次（公斤）";
    public static string ScanNotWaiting(string code) => $"箱码 {code} 不在待入库清单里（已入库、没有退回，或不是本社的箱子）。";
    public static string OfOrder(Guid orderId, string line) => $"订单 {orderId.ToString()[^8..]}：{line}";
    public static string ReturnsDone(int boxes, string disposition) => disposition == "restock" ? $"{boxes} 箱已重新入库。" : $"{boxes} 箱已报损。";

    public const string FileClaimForBuyer = "代采购商登记客诉";
    public const string ClaimKind = "问题";
    public const string ClaimKg = "涉及公斤";
    public const string CreditAskedYuan = "要求退款（元）";
    public const string FileClaim = "登记客诉";
    public const string PickDeliveredBoxes = "请勾选已签收的问题箱。";
    public const string ClaimKgInvalid = "涉及公斤必须大于 0，最多三位小数。";
    public static string ClaimKgAtMost(decimal kg) => $"涉及公斤不能超过所选箱子的净重（{Api.Kilograms.Show(kg)} 公斤）。";
    public const string CreditInvalid = "退款金额必须大于 0，例如 120 或 120.50。";
    public const string ClaimFiled = "客诉已登记，等待处理。";

    public static string ClaimKindName(string kind) => kind switch
    {
        "spoiled" => "变质", "damaged" => "破损", "short_weight" => "缺斤短两", "missing" => "少箱", _ => kind,
    };

    public const string CarrierClaims = "向快递公司索赔";
    public const string NoShipmentFound = "找不到这张订单的运单。";
    public const string LostCarrierOrder = "已丢失的快递单";
    public const string ClaimAmountYuan = "索赔金额（元）";
    public const string ClaimCarrier = "索赔";
    public const string CarrierClaimFiled = "已向快递公司提出索赔。";
    public const string CarrierClaimAmountInvalid = "索赔金额必须大于 0，例如 300 或 300.50。";
    public const string ClaimedAlready = "已索赔";

    public static string CarrierClaimStatusName(string status) => status switch
    {
        "filed" => "已提交", "accepted" => "已受理", "refused" => "被拒绝", "paid" => "已赔付", _ => status,
    };

    public static string CarrierClaimReasonName(string reason) => reason switch { "lost" => "丢失", "damaged" => "破损", _ => reason };

    public const string ClaimsQueue = "客诉处理";
    public const string NoClaims = "没有这种状态的客诉。";
    public const string FiledAt = "登记时间";
    public const string CreditAsked = "要求退款";
    public const string Credit = "同意退款";
    public const string Decide = "处理";
    public const string Decision = "决定";
    public const string Accept = "同意（退款）";
    public const string Reject = "拒绝";
    public const string CreditYuan = "退款金额（元，不超过要求）";
    public const string CarrierLiable = "快递公司负责（另向快递公司索赔）";
    public const string DecisionReason = "理由";
    public const string RejectReasonRequired = "拒绝必须填写理由。";
    public static string CreditAtMost(long askedFen) => $"退款金额必须大于 0，且不超过要求的 {Api.Fen.Yuan(askedFen)}。";
    public const string ConfirmDecision = "确认处理";
    public static string ClaimDecided(string status) => status == "accepted" ? "已同意，退款在下次结算中扣回。" : "已拒绝。";

    public static string ClaimStatusName(string status) => status switch
    {
        "open" => "待处理", "accepted" => "已同意", "rejected" => "已拒绝", _ => status,
    };

    /// <summary>The exceptions screen's JSON fields (returns, claims, decisions, carrier claims) as the clerk knows them.</summary>
    public static string ExceptionFieldName(string field) => field switch
    {
        "traceCodes" => TraceCode,
        "disposition" => Disposition,
        "reason" => DecisionReason,
        "kind" => ClaimKind,
        "kg" => ClaimKg,
        "creditFen" => CreditYuan,
        "note" => Note,
        "decision" => Decision,
        "waybillNo" => MasterWaybill,
        "amountFen" => ClaimAmountYuan,
        _ => field,
    };
}
