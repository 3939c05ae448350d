#!/usr/bin/env bash
# Plays a demo season through the public API only (the Gateway), as the people who use MelonChain would:
#   the contract officer sets up the Enping contract-growing programme (ContractGrowing);
#   the clerk registers members, receives and grades a week of harvest, takes a Beijing and a Shanghai order and
#   packs them into traced boxes (Cooperative);
#   a courier accepts, schedules and collects both pickups, booked at the negotiated rates — Beijing with SF express,
#   Shanghai with JD's cold chain (Dispatch, CarrierSimulator on an accelerated clock); the buyers follow them to
#   delivery (Tracking);
#   the clerk settles the week; then a summary is printed.
# Two cooperatives play on the one installation: Shangxiang (上巷村) the whole season, Changqiao (长乔村) a short one,
# each onboarded by its admin first (profile, carrier account) and each seeing only its own rows.
# Changqiao's week goes wrong three ways (异常 · 理赔): its Beijing buyer claims for spoiled boxes after settlement (the
# credit accepted), one box of a 301-box order is refused and comes back (restocked), a parcel is lost (claimed from
# the carrier); and SF bills its settled Beijing order 70 yuan above the quote (re-weighed): its next settlement pays
# the three out and takes the freight difference (对账). The carrier's fates, clock and re-bill are decided through the
# simulator's admin API (SIMULATOR), the one thing not done through the Gateway, as a tester would.
# Every POST carries an Idempotency-Key: with DEMO_REPLAY=1 the same season can be played again the same day and
# changes nothing. Without it, a cooperative that already has members is left alone (only the summary is skipped).
set -euo pipefail

GATEWAY="${GATEWAY:-http://127.0.0.1:8080}"
# The carrier simulator's admin API: the demo decides a few parcels' fates and moves its clock, as a tester would.
SIMULATOR="${SIMULATOR:-http://127.0.0.1:8089}"
COOP="shangxiang"
# The China day the season is played on; its Idempotency-Keys name it (DEMO_DAY replays a day even after midnight in Beijing).
DAY="${DEMO_DAY:-$(TZ=Asia/Shanghai date +%F)}"
WAIT_SECONDS="${DEMO_WAIT_SECONDS:-180}"
command -v jq >/dev/null 2>&1 || { echo "demo: jq is required" >&2; exit 1; }
# A request that meets a replica going away (the Gateway answers 502, 503 or 504) is sent again a second later, with
# the same Idempotency-Key, as the clerks' and couriers' apps do: the key makes the retry safe.
RETRY=(--retry 10 --retry-delay 1)

# token ROLE [EXTRA_JSON_FIELDS] [COOPERATIVE] → a development token from the Gateway
token() {
  curl "${RETRY[@]}" -fsS -X POST "$GATEWAY/api/v1/dev/tokens" -H 'Content-Type: application/json' \
    -d "{\"role\":\"$1\",\"subject\":\"demo-$1\",\"cooperativeId\":\"${3:-$COOP}\"${2:-}}" | jq -r .token
}
ADMIN="$(token admin)"
CLERK="$(token clerk)"
OFFICER="$(token officer)"
COURIER="$(token courier ',"courierId":"sf-jm-017"')"
CQ="changqiao"
CQ_ADMIN="$(token admin "" "$CQ")"
CQ_CLERK="$(token clerk "" "$CQ")"
CQ_COURIER="$(token courier ',"courierId":"sf-jm-021"' "$CQ")"

# post TOKEN PATH KEY JSON → response body; fails loudly on any non-2xx.
post() {
  local out code
  out="$(mktemp)"
  code="$(curl "${RETRY[@]}" -sS -o "$out" -w '%{http_code}' -X POST "$GATEWAY$2" -H "Authorization: Bearer $1" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: demo-$DAY-$3" -d "$4")"
  if [ "${code:0:1}" != 2 ]; then echo "demo: POST $2 answered $code: $(cat "$out")" >&2; rm -f "$out"; exit 1; fi
  cat "$out"; rm -f "$out"
}
get() { curl "${RETRY[@]}" -fsS "$GATEWAY$2" -H "Authorization: Bearer $1"; }
# put TOKEN PATH JSON → response body; fails loudly on any non-2xx (a PUT saves the whole resource: repeating it changes nothing).
put() {
  local out code
  out="$(mktemp)"
  code="$(curl "${RETRY[@]}" -sS -o "$out" -w '%{http_code}' -X PUT "$GATEWAY$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3")"
  if [ "${code:0:1}" != 2 ]; then echo "demo: PUT $2 answered $code: $(cat "$out")" >&2; rm -f "$out"; exit 1; fi
  cat "$out"; rm -f "$out"
}
# until_true WHAT COMMAND… → runs COMMAND every second until it succeeds (or gives up after WAIT_SECONDS)
until_true() {
  local what="$1"; shift
  for _ in $(seq 1 "$WAIT_SECONDS"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "demo: gave up waiting for $what" >&2; exit 1
}
id_of() { jq -r .id; }
kg() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
ago() { TZ=Asia/Shanghai date -d "$DAY - $1 days" +%F; }
# yuan FEN → 4,200 or 1,234.56
yuan() { local f="$1" sign=""; [ "$f" -lt 0 ] && { sign="-"; f=$((-f)); }
  local whole; whole="$(echo $((f / 100)) | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')"
  if [ $((f % 100)) -eq 0 ]; then echo "$sign$whole"; else printf '%s%s.%02d' "$sign" "$whole" $((f % 100)); fi; }

if [ "${DEMO_REPLAY:-}" != 1 ] && get "$CLERK" "/api/v1/cooperative/growers?limit=1" | grep -q '"memberNo"'; then
  echo "demo: the cooperative already has members — demo season not played again (DEMO_REPLAY=1 replays it the same day)"
  exit 0
fi

# onboard ADMIN_TOKEN PROFILE_JSON ACCOUNTS_JSON → the cooperative's profile and carrier account, once Dispatch has the profile
sender_known() { get "$1" /api/v1/dispatch/carrier-accounts | jq -e '.sender != null'; }
onboard() {
  put "$1" /api/v1/cooperative/profile "$2" >/dev/null
  put "$1" /api/v1/dispatch/carrier-accounts "$3" >/dev/null
  until_true "Dispatch to learn the cooperative's profile" sender_known "$1"
}

echo "demo: the admins onboard Shangxiang (上巷村) and Changqiao (长乔村) — profile and carrier accounts (合作社档案)"
echo "      Shangxiang books Beijing with SF and Shanghai with JD's cold chain (京东冷链, 10–12 °C); Changqiao books with SF"
onboard "$ADMIN" '{"name":"江门市蓬江区杜阮镇上巷村农民专业合作社","shortName":"上巷村合作社","village":"上巷村",
  "address":{"province":"广东省","city":"江门市","county":"蓬江区","street":"杜阮镇上巷村"},"contactName":"陈主任","phone":"0750-3000000",
  "receiptPrefix":"SX","commissionBps":500,"boxFeeFen":300,"maxShrinkBps":300,"maxLotAgeDays":4,
  "certificate":{"producer":"江门市蓬江区杜阮镇上巷村农民专业合作社","origin":"广东省江门市蓬江区杜阮镇上巷村","contact":"0750-3000000","basis":"内部质量控制"}}' \
  '{"accounts":[{"carrier":"sf","account":"7551234567","discountBps":7500,"defaultFor":["北京"]},{"carrier":"jd","account":"020K7551234","discountBps":8000,"defaultFor":["上海"]}]}'
onboard "$CQ_ADMIN" '{"name":"江门市蓬江区杜阮镇长乔村农民专业合作社","shortName":"长乔村合作社","village":"长乔村",
  "address":{"province":"广东省","city":"江门市","county":"蓬江区","street":"杜阮镇长乔村凉瓜示范基地"},"contactName":"李主任","phone":"0750-3111111",
  "receiptPrefix":"CQ","commissionBps":600,"boxFeeFen":350,"maxShrinkBps":300,"maxLotAgeDays":4,
  "certificate":{"producer":"江门市蓬江区杜阮镇长乔村农民专业合作社","origin":"广东省江门市蓬江区杜阮镇长乔村","contact":"0750-3111111","basis":"自行检测"}}' \
  '{"accounts":[{"carrier":"sf","account":"7559876543","discountBps":7500,"defaultFor":["北京","上海"]}]}'
echo "demo: Shangxiang's admin keeps one catalogue deduction — a sorting fee of 0.20 yuan per kg sold (扣款目录)"
put "$ADMIN" /api/v1/cooperative/deduction-rules \
  "{\"rules\":[{\"name\":\"分拣费\",\"basis\":\"per_kg_sold\",\"amount\":20,\"effectiveFrom\":\"${DAY:0:4}-01-01\"}]}" >/dev/null

echo "demo: Enping contract-growing programme (恩平订单种植)"
BATCH="$(post "$OFFICER" /api/v1/growing/seedling-batches batch \
  "{\"batchNo\":\"DR-2026-A1\",\"nursery\":\"杜阮镇育苗场\",\"motherField\":\"杜阮北芦村母本田\",\"sownOn\":\"$(ago 40)\",\"count\":6000,\"germinationRate\":0.93}" | id_of)"
ENPING=("梁叔:恩平市大田镇:朗北村:6700" "吴姨:恩平市大田镇:大田村:5400" "冯伯:恩平市君堂镇:江洲村:5300" "岑生:恩平市君堂镇:黄角村:4800" "郑姐:恩平市圣堂镇:歇马村:4500")
CONTRACTS=()
for i in "${!ENPING[@]}"; do
  IFS=: read -r name town village area <<<"${ENPING[$i]}"
  n=$((i + 1))
  grower="$(post "$OFFICER" /api/v1/growing/growers "grower-$n" \
    "{\"name\":\"$name\",\"phone\":\"1362222000$n\",\"town\":\"$town\",\"village\":\"$village\"}" | id_of)"
  plot="$(post "$OFFICER" /api/v1/growing/plots "plot-$n" \
    "{\"growerId\":\"$grower\",\"areaM2\":$area,\"location\":\"$village 承包地\"}" | id_of)"
  contract="$(post "$OFFICER" /api/v1/growing/contracts "contract-$n" \
    "{\"growerId\":\"$grower\",\"plotId\":\"$plot\",\"season\":\"${DAY:0:4}-autumn\",\"variety\":\"杜阮凉瓜\",\"seedlings\":1200,\"densityPerMu\":150,\"expectedKg\":$((area * 3 / 10)),\"minPriceFenPerKg\":{\"premium\":900,\"grade1\":700,\"grade2\":450,\"offgrade\":150},\"qualityTerms\":\"短粗、平顶、粗瘤、尾尖；单果0.4–0.8 kg；无病斑\"}" | id_of)"
  post "$OFFICER" "/api/v1/growing/contracts/$contract/seedling-issues" "issue-$n" "{\"batchId\":\"$BATCH\",\"count\":1200,\"issuedOn\":\"$(ago 35)\"}" >/dev/null
  post "$OFFICER" "/api/v1/growing/contracts/$contract/sign" "sign-$n" '{}' >/dev/null
  post "$OFFICER" "/api/v1/growing/contracts/$contract/visits" "visit-$n" \
    "{\"kind\":\"guidance\",\"visitedOn\":\"$(ago 12)\",\"officer\":\"陈技术员\",\"topic\":\"搭架整枝与瓜实蝇防治\",\"growthStage\":\"开花坐果期\",\"pests\":\"瓜实蝇少量\",\"advice\":\"挂黄板诱杀，及时摘除病果\"}" >/dev/null
  CONTRACTS+=("$contract")
done
post "$OFFICER" "/api/v1/growing/contracts/${CONTRACTS[0]}/visits" training \
  "{\"kind\":\"training\",\"visitedOn\":\"$(ago 30)\",\"officer\":\"杜阮镇农技站\",\"topic\":\"杜阮凉瓜定植与水肥管理培训\"}" >/dev/null

echo "demo: Shangxiang members and contract growers (成员)"
VILLAGES=("上巷村" "上巷村" "上巷村" "龙榜村")
MEMBERS=()
for n in $(seq 1 24); do
  no="$(printf 'SX-%03d' "$n")"
  MEMBERS+=("$(post "$CLERK" /api/v1/cooperative/growers "member-$no" \
    "{\"memberNo\":\"$no\",\"name\":\"社员$n\",\"phone\":\"1380000$(printf '%04d' "$n")\",\"village\":\"${VILLAGES[$((n % 4))]}\",\"kind\":\"member\"}" | id_of)")
done
# A contract member names a contract the Cooperative has learnt from ContractSigned: wait for each to arrive.
contract_known() { curl "${RETRY[@]}" -fsS -o /dev/null -X POST "$GATEWAY/api/v1/cooperative/growers" -H "Authorization: Bearer $CLERK" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: demo-$DAY-$1" -d "$2"; }
for i in "${!CONTRACTS[@]}"; do
  no="$(printf 'EP-%03d' $((i + 1)))"
  # The grower was typed in once, by the contract officer: the member is made from the signed contract.
  body="{\"memberNo\":\"$no\",\"kind\":\"contract\",\"contractId\":\"${CONTRACTS[$i]}\"}"
  until_true "contract ${CONTRACTS[$i]} to reach the cooperative" contract_known "member-$no" "$body"
  MEMBERS+=("$(post "$CLERK" /api/v1/cooperative/growers "member-$no" "$body" | id_of)")
done

echo "demo: a week of receipts and gradings (统一收货 · 统一挑选)"
for day in 6 5 4 3 2 1 0; do
  for slot in $(seq 0 7); do
    idx=$(((day * 7 + slot * 5) % ${#MEMBERS[@]}))
    gross=$((60000 + ((day * 131 + slot * 977) % 90) * 1000 + slot * 37))
    premium=$((gross * 15 / 100)); grade2=$((gross * 25 / 100)); offgrade=$((gross * 3 / 100))
    grade1=$((gross - gross * 2 / 100 - premium - grade2 - offgrade))
    receipt="$(post "$CLERK" /api/v1/cooperative/receipts "receipt-$day-$slot" \
      "{\"growerId\":\"${MEMBERS[$idx]}\",\"harvestedOn\":\"$(ago "$day")\",\"grossKg\":$(kg $gross),\"crates\":$((gross / 12000 + 1))}" | id_of)"
    post "$CLERK" "/api/v1/cooperative/receipts/$receipt/grading" "grading-$day-$slot" \
      "{\"lines\":[{\"grade\":\"premium\",\"kg\":$(kg $premium)},{\"grade\":\"grade1\",\"kg\":$(kg $grade1)},{\"grade\":\"grade2\",\"kg\":$(kg $grade2)},{\"grade\":\"offgrade\",\"kg\":$(kg $offgrade)}]}" >/dev/null
  done
done

echo "demo: a Beijing order by SF express and a Shanghai order by JD cold chain, packed into traced boxes (统一代销 · 一箱一码)"
BJ_PHONE=13911112222
BJ_BUYER="$(post "$CLERK" /api/v1/cooperative/buyers buyer-beijing \
  "{\"name\":\"京味轩餐饮\",\"city\":\"北京\",\"address\":\"朝阳区建国路88号\",\"contactName\":\"王经理\",\"phone\":\"$BJ_PHONE\"}" | id_of)"
SH_BUYER="$(post "$CLERK" /api/v1/cooperative/buyers buyer-shanghai \
  '{"name":"沪上鲜果蔬","city":"上海","address":"徐汇区漕溪北路398号","contactName":"陈小姐","phone":"13816663333"}' | id_of)"
BJ_ORDER="$(post "$CLERK" /api/v1/cooperative/orders order-beijing \
  "{\"buyerId\":\"$BJ_BUYER\",\"destination\":{\"city\":\"北京\",\"address\":\"朝阳区建国路88号\",\"contactName\":\"王经理\",\"phone\":\"$BJ_PHONE\"},\"lines\":[{\"grade\":\"grade1\",\"kg\":300,\"priceFenPerKg\":1800}],\"boxNetKg\":5,\"product\":\"express\"}" | id_of)"
SH_ORDER="$(post "$CLERK" /api/v1/cooperative/orders order-shanghai \
  "{\"buyerId\":\"$SH_BUYER\",\"destination\":{\"city\":\"上海\",\"address\":\"徐汇区漕溪北路398号\",\"contactName\":\"陈小姐\",\"phone\":\"13816663333\"},\"lines\":[{\"grade\":\"premium\",\"kg\":40,\"priceFenPerKg\":2400},{\"grade\":\"grade2\",\"kg\":60,\"priceFenPerKg\":1100}],\"boxNetKg\":5,\"product\":\"jd_cold\"}" | id_of)"
post "$CLERK" "/api/v1/cooperative/orders/$BJ_ORDER/pack" pack-beijing '{}' >/dev/null
post "$CLERK" "/api/v1/cooperative/orders/$SH_ORDER/pack" pack-shanghai '{}' >/dev/null

echo "demo: the courier accepts, schedules and collects both pickups (上门揽收)"
pickup_of() { get "$2" "/api/v1/dispatch/pickups?limit=500" | jq -er --arg o "$1" '.items[] | select(.orderId == $o) | .id'; }
collect() { # ORDER NAME [COURIER_TOKEN] → shipment id
  local pickup window codes courier="${3:-$COURIER}"
  until_true "the $2 pickup to open" pickup_of "$1" "$courier"
  pickup="$(pickup_of "$1" "$courier")"
  post "$courier" "/api/v1/dispatch/pickups/$pickup/accept" "accept-$2" '{}' >/dev/null
  # The courier takes the window the cooperative suggested, and scans every box at the door.
  window="$(get "$courier" "/api/v1/dispatch/pickups/$pickup" | jq -c '{windowStart, windowEnd}')"
  post "$courier" "/api/v1/dispatch/pickups/$pickup/schedule" "schedule-$2" "$window" >/dev/null
  codes="$(get "$courier" "/api/v1/dispatch/pickups/$pickup/boxes" | jq -c '{traceCodes: map(.traceCode)}')"
  post "$courier" "/api/v1/dispatch/pickups/$pickup/collect" "collect-$2" "$codes" | id_of
}
BJ_SHIPMENT="$(collect "$BJ_ORDER" beijing)"
SH_SHIPMENT="$(collect "$SH_ORDER" shanghai)"

echo "demo: the carriers carry them — SF pushes its routes, JD's traces are pulled; the buyers follow them (accelerated clock)"
BJ_BUYER_TOKEN="$(token buyer ",\"buyerId\":\"$BJ_BUYER\"")"
SH_BUYER_TOKEN="$(token buyer ",\"buyerId\":\"$SH_BUYER\"")"
delivered() { get "$1" /api/v1/tracking/my/shipments | jq -e '.items | length > 0 and all(.status == "delivered" and .onTime != null)'; }
until_true "the Beijing delivery" delivered "$BJ_BUYER_TOKEN"
until_true "the Shanghai delivery" delivered "$SH_BUYER_TOKEN"
settled_order() { get "${2:-$CLERK}" "/api/v1/cooperative/orders/$1" | jq -e '(.status == "delivered" or .status == "settled") and .freightFen != null'; }
until_true "the cooperative to see the Beijing order delivered" settled_order "$BJ_ORDER"
until_true "the cooperative to see the Shanghai order delivered" settled_order "$SH_ORDER"

echo "demo: two growers whose melons went to Beijing need cash at harvest — advances of 300 and 200 yuan (预付款)"
mapfile -t ADVANCED < <(get "$CLERK" "/api/v1/cooperative/orders/$BJ_ORDER" | jq -r '[.boxes[].sources[].growerId] | unique | .[0:2][]')
ADVANCED_NOS=()
for i in 0 1; do
  post "$CLERK" "/api/v1/cooperative/growers/${ADVANCED[$i]}/account/advances" "advance-$((i + 1))" \
    "{\"amountFen\":$((30000 - i * 10000)),\"note\":\"采收预付\"}" >/dev/null
  ADVANCED_NOS+=("$(get "$CLERK" "/api/v1/cooperative/growers/${ADVANCED[$i]}" | jq -r .memberNo)")
done

echo "demo: the clerk settles the week (统一结算)"
LAST_DELIVERY="$(for o in "$BJ_ORDER" "$SH_ORDER"; do get "$CLERK" "/api/v1/cooperative/orders/$o" | jq -r .deliveredAt; done \
  | xargs -I{} env TZ=Asia/Shanghai date -d {} +%F | sort | tail -n1)"
SETTLEMENT="$(post "$CLERK" /api/v1/cooperative/settlements settlement "{\"from\":\"$(ago 6)\",\"to\":\"$LAST_DELIVERY\"}")"
echo "demo: the general assembly returns the year's surplus — 50,000 yuan distributable, 60% by volume (盈余返还)"
SURPLUS="$(post "$ADMIN" /api/v1/cooperative/surplus-returns surplus "{\"year\":${DAY:0:4},\"distributableFen\":5000000,\"volumeShareBps\":6000}")"

echo "demo: Changqiao's short season — members, two days of receipts, a Beijing order, collected, delivered, settled"
CQ_MEMBERS=()
for n in $(seq 1 6); do
  no="$(printf 'CQ-%03d' "$n")"
  CQ_MEMBERS+=("$(post "$CQ_CLERK" /api/v1/cooperative/growers "cq-member-$no" \
    "{\"memberNo\":\"$no\",\"name\":\"长乔社员$n\",\"phone\":\"1390000$(printf '%04d' "$n")\",\"village\":\"长乔村\",\"kind\":\"member\"}" | id_of)")
done
for day in 1 0; do
  for slot in 0 1 2 3; do
    gross=$((40000 + slot * 5000 + day * 1000))
    premium=$((gross * 20 / 100)); grade1=$((gross * 60 / 100)); grade2=$((gross - gross * 2 / 100 - premium - grade1))
    receipt="$(post "$CQ_CLERK" /api/v1/cooperative/receipts "cq-receipt-$day-$slot" \
      "{\"growerId\":\"${CQ_MEMBERS[$(((day * 4 + slot) % 6))]}\",\"harvestedOn\":\"$(ago "$day")\",\"grossKg\":$(kg $gross),\"crates\":4}" | id_of)"
    post "$CQ_CLERK" "/api/v1/cooperative/receipts/$receipt/grading" "cq-grading-$day-$slot" \
      "{\"lines\":[{\"grade\":\"premium\",\"kg\":$(kg $premium)},{\"grade\":\"grade1\",\"kg\":$(kg $grade1)},{\"grade\":\"grade2\",\"kg\":$(kg $grade2)}]}" >/dev/null
  done
done
CQ_BUYER="$(post "$CQ_CLERK" /api/v1/cooperative/buyers cq-buyer-beijing \
  '{"name":"新发地鲜果行","city":"北京","address":"丰台区新发地农产品批发市场","contactName":"赵经理","phone":"13910005555"}' | id_of)"
CQ_ORDER="$(post "$CQ_CLERK" /api/v1/cooperative/orders cq-order-beijing \
  "{\"buyerId\":\"$CQ_BUYER\",\"destination\":{\"city\":\"北京\",\"address\":\"丰台区新发地农产品批发市场\",\"contactName\":\"赵经理\",\"phone\":\"13910005555\"},\"lines\":[{\"grade\":\"grade1\",\"kg\":100,\"priceFenPerKg\":1700}],\"boxNetKg\":5,\"product\":\"express\"}" | id_of)"
post "$CQ_CLERK" "/api/v1/cooperative/orders/$CQ_ORDER/pack" cq-pack-beijing '{}' >/dev/null
CQ_SHIPMENT="$(collect "$CQ_ORDER" cq-beijing "$CQ_COURIER")"
until_true "Changqiao to see its Beijing order delivered" settled_order "$CQ_ORDER" "$CQ_CLERK"
CQ_DELIVERY="$(get "$CQ_CLERK" "/api/v1/cooperative/orders/$CQ_ORDER" | jq -r .deliveredAt | xargs -I{} env TZ=Asia/Shanghai date -d {} +%F)"
CQ_SETTLEMENT="$(post "$CQ_CLERK" /api/v1/cooperative/settlements cq-settlement "{\"from\":\"$(ago 1)\",\"to\":\"$CQ_DELIVERY\"}")"

echo "demo: SF's bill for that order comes after its settlement, re-weighed at the hub above the quote (运费账单 · 对账)"
# The simulator bills at pickup what Dispatch quoted; here SF bills the order again, higher, once it is settled:
# the Cooperative takes the difference from the same growers on the next settlement.
CQ_BILLED_FEN=112000
CQ_BILLED_PART="$(get "$CQ_CLERK" "/api/v1/dispatch/shipments/$CQ_SHIPMENT" | jq -c '.carrierOrders | sort_by(.part) | .[0]')"
CQ_WAYBILL="$(echo "$CQ_BILLED_PART" | jq -r .masterWaybillNo)"
if [ "$(echo "$CQ_BILLED_PART" | jq '.billedFen // 0')" != "$CQ_BILLED_FEN" ]; then
  curl "${RETRY[@]}" -fsS -X POST "$SIMULATOR/admin/waybills/$CQ_WAYBILL/bill" -H 'Content-Type: application/json' -d "{\"amountFen\":$CQ_BILLED_FEN}" >/dev/null
fi
CQ_MONTH="$(get "$CQ_CLERK" "/api/v1/dispatch/shipments/$CQ_SHIPMENT" | jq -r .collectedAt | xargs -I{} env TZ=Asia/Shanghai date -d {} +%Y-%m)"
billed() { get "$CQ_CLERK" "/api/v1/cooperative/freight-reconciliation?month=$CQ_MONTH" \
  | jq -e --arg w "$CQ_WAYBILL" --argjson b "$CQ_BILLED_FEN" 'any(.waybills[]; .waybillNo == $w and .billedFen == $b)'; }
until_true "SF's bill to reach the cooperative" billed

echo "demo: Changqiao's week goes wrong three ways (异常 · 理赔) — a spoiled claim, a box sent back, a parcel lost"
# 1. The Beijing buyer opens two spoiled boxes of its order, already settled: the clerk accepts a smaller credit, which
#    the next settlement pays back as adjustment lines over the same growers.
CQ_BUYER_TOKEN="$(token buyer ",\"buyerId\":\"$CQ_BUYER\"" "$CQ")"
SPOILED="$(get "$CQ_CLERK" "/api/v1/cooperative/orders/$CQ_ORDER" | jq -c '{traceCodes: [.boxes[0:2][].traceCode]}')"
CQ_CLAIM="$(post "$CQ_BUYER_TOKEN" "/api/v1/cooperative/orders/$CQ_ORDER/claims" cq-claim-spoiled \
  "$(echo "$SPOILED" | jq -c '. + {kind: "spoiled", kg: 10, creditFen: 17000, note: "两箱开箱即见烂瓜，已拍照"}')" | id_of)"
post "$CQ_CLERK" "/api/v1/cooperative/claims/$CQ_CLAIM/decision" cq-claim-decision \
  '{"decision":"accepted","creditFen":15000,"carrierLiable":false,"reason":"照片核实：两箱腐烂，按九折赔付"}' >/dev/null
# 2. A big picking day fills a 301-box order to Shanghai: SF books it as two carrier orders (300 parcels each at most);
#    the second, one box, is refused at the door and comes back; the clerk scans it in and restocks it.
for slot in 0 1 2 3 4 5; do
  gross=$((350000 + slot * 1000))
  premium=$((gross * 20 / 100)); grade1=$((gross * 60 / 100)); grade2=$((gross - gross * 2 / 100 - premium - grade1))
  receipt="$(post "$CQ_CLERK" /api/v1/cooperative/receipts "cq-receipt-big-$slot" \
    "{\"growerId\":\"${CQ_MEMBERS[$slot]}\",\"harvestedOn\":\"$(ago 0)\",\"grossKg\":$(kg $gross),\"crates\":30}" | id_of)"
  post "$CQ_CLERK" "/api/v1/cooperative/receipts/$receipt/grading" "cq-grading-big-$slot" \
    "{\"lines\":[{\"grade\":\"premium\",\"kg\":$(kg $premium)},{\"grade\":\"grade1\",\"kg\":$(kg $grade1)},{\"grade\":\"grade2\",\"kg\":$(kg $grade2)}]}" >/dev/null
done
CQ_SH_BUYER="$(post "$CQ_CLERK" /api/v1/cooperative/buyers cq-buyer-shanghai \
  '{"name":"沪西果蔬批发","city":"上海","address":"普陀区真北路1999号","contactName":"周经理","phone":"13817778888"}' | id_of)"
CQ_BIG="$(post "$CQ_CLERK" /api/v1/cooperative/orders cq-order-shanghai \
  "{\"buyerId\":\"$CQ_SH_BUYER\",\"destination\":{\"city\":\"上海\",\"address\":\"普陀区真北路1999号\",\"contactName\":\"周经理\",\"phone\":\"13817778888\"},\"lines\":[{\"grade\":\"grade1\",\"kg\":1100,\"priceFenPerKg\":1600},{\"grade\":\"premium\",\"kg\":405,\"priceFenPerKg\":2200}],\"boxNetKg\":5,\"product\":\"express\"}" | id_of)"
# 3. Four boxes of grade 2 to Beijing that the carrier loses: claimed from SF for their value and the freight paid,
#    410 yuan (200 yuan of melons, 210 yuan of freight), within its limit per parcel.
CQ_LOST="$(post "$CQ_CLERK" /api/v1/cooperative/orders cq-order-lost \
  "{\"buyerId\":\"$CQ_BUYER\",\"destination\":{\"city\":\"北京\",\"address\":\"丰台区新发地农产品批发市场\",\"contactName\":\"赵经理\",\"phone\":\"13910005555\"},\"lines\":[{\"grade\":\"grade2\",\"kg\":20,\"priceFenPerKg\":1000}],\"boxNetKg\":5,\"product\":\"express\"}" | id_of)"
post "$CQ_CLERK" "/api/v1/cooperative/orders/$CQ_BIG/pack" cq-pack-shanghai '{}' >/dev/null
post "$CQ_CLERK" "/api/v1/cooperative/orders/$CQ_LOST/pack" cq-pack-lost '{}' >/dev/null
# The carrier's side is the simulator's (its admin API, not the Gateway): each fate is decided once, before the part ends.
part() { get "$CQ_CLERK" "/api/v1/dispatch/shipments/$1" | jq -c --argjson i "$2" '.carrierOrders | sort_by(.part) | .[$i]'; }
fate() { # SHIPMENT PART FATE
  local p; p="$(part "$1" "$2")"
  if [ "$(echo "$p" | jq -r '.outcome // empty')" = "" ]; then
    curl "${RETRY[@]}" -fsS -X POST "$SIMULATOR/admin/waybills/$(echo "$p" | jq -r .masterWaybillNo)/fate" -H 'Content-Type: application/json' -d "{\"fate\":\"$3\"}" >/dev/null
  fi
}
CQ_BIG_SHIPMENT="$(collect "$CQ_BIG" cq-shanghai "$CQ_COURIER")"
fate "$CQ_BIG_SHIPMENT" 1 returned
CQ_LOST_SHIPMENT="$(collect "$CQ_LOST" cq-lost "$CQ_COURIER")"
fate "$CQ_LOST_SHIPMENT" 0 lost
# SF declares a parcel lost 7 days after pickup: the simulator's clock is moved a week on rather than waited for.
if [ "$(part "$CQ_LOST_SHIPMENT" 0 | jq -r '.outcome // empty')" = "" ]; then
  curl "${RETRY[@]}" -fsS -X POST "$SIMULATOR/admin/clock" -H 'Content-Type: application/json' -d '{"advanceHours":170}' >/dev/null
fi
ended_order() { get "$CQ_CLERK" "/api/v1/cooperative/orders/$1" | jq -e --arg s "$2" '(.status == $s or .status == "settled") and .freightFen != null'; }
until_true "the Shanghai order to end partly delivered" ended_order "$CQ_BIG" partly_delivered
until_true "the lost order to end undelivered" ended_order "$CQ_LOST" undelivered
RETURNED="$(get "$CQ_CLERK" "/api/v1/cooperative/orders/$CQ_BIG" | jq -c '{traceCodes: [.boxes[] | select(.outcome == "returned") | .traceCode]}')"
post "$CQ_CLERK" "/api/v1/cooperative/orders/$CQ_BIG/returns" cq-return-restock \
  "$(echo "$RETURNED" | jq -c '. + {disposition: "restock", reason: "收货人拒收，箱内完好"}')" >/dev/null
LOST_WAYBILL="$(part "$CQ_LOST_SHIPMENT" 0 | jq -r .masterWaybillNo)"
post "$CQ_CLERK" "/api/v1/dispatch/shipments/$CQ_LOST_SHIPMENT/carrier-claims" cq-carrier-claim \
  "{\"waybillNo\":\"$LOST_WAYBILL\",\"reason\":\"lost\",\"amountFen\":41000}" >/dev/null
compensated() { get "$CQ_CLERK" "/api/v1/cooperative/orders/$CQ_LOST" | jq -e '.compensationFen > 0'; }
until_true "SF to pay the lost parcel's claim and the cooperative to book it" compensated
CQ_LAST_END="$(for o in "$CQ_BIG" "$CQ_LOST"; do get "$CQ_CLERK" "/api/v1/cooperative/orders/$o" | jq -r .endedAt; done \
  | xargs -I{} env TZ=Asia/Shanghai date -d {} +%F | sort | tail -n1)"
CQ_NEXT_FROM="$(TZ=Asia/Shanghai date -d "$CQ_DELIVERY + 1 day" +%F)"
[[ "$CQ_LAST_END" < "$CQ_NEXT_FROM" ]] && CQ_LAST_END="$CQ_NEXT_FROM"
CQ_SETTLEMENT2="$(post "$CQ_CLERK" /api/v1/cooperative/settlements cq-settlement-2 "{\"from\":\"$CQ_NEXT_FROM\",\"to\":\"$CQ_LAST_END\"}")"
CQ_SH_BUYER_TOKEN="$(token buyer ",\"buyerId\":\"$CQ_SH_BUYER\"" "$CQ")"
outcomes() { get "$1" "/api/v1/tracking/shipments/$2" | jq -e '[.boxes[].outcome] | all(. != "in_transit")'; }
until_true "the Shanghai buyer to see each box's outcome" outcomes "$CQ_SH_BUYER_TOKEN" "$(get "$CQ_CLERK" "/api/v1/dispatch/shipments/$CQ_BIG_SHIPMENT" | jq -r .masterWaybillNo)"
until_true "the Beijing buyer to see the lost boxes" outcomes "$CQ_BUYER_TOKEN" "$LOST_WAYBILL"

# ---- the summary a cooperative cares about ----------------------------------------------------------------
INTAKE="$(get "$CLERK" "/api/v1/cooperative/reports/intake?from=$(ago 6)&to=$DAY")"
BJ="$(get "$COURIER" "/api/v1/dispatch/shipments/$BJ_SHIPMENT")"
SH="$(get "$COURIER" "/api/v1/dispatch/shipments/$SH_SHIPMENT")"
carrier_name() { case "$1" in sf) echo SF ;; jd) echo JD ;; *) echo "$1" ;; esac; }
BJ_TRACK="$(get "$BJ_BUYER_TOKEN" /api/v1/tracking/my/shipments | jq '.items[0]')"
SH_TRACK="$(get "$SH_BUYER_TOKEN" /api/v1/tracking/my/shipments | jq '.items[0]')"
FULFILMENT="$(get "$OFFICER" "/api/v1/growing/reports/fulfilment?season=${DAY:0:4}-autumn")"
TRACE_CODE="$(echo "$BJ" | jq -r '.waybills[1].traceCode')"
hours() { echo "$1" | jq -r '((.deliveredAt | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601) - (.bookedAt | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601)) / 3600 | floor'; }
on_time() { echo "$1" | jq -r 'if .onTime then "on time" else "LATE" end'; }

echo
echo "================ 上巷村合作社 · demo season $(ago 6) – $DAY ================"
echo "$INTAKE" | jq -r '"Received   \(.receivedKg) kg in \(.receipts) receipts; graded \(.gradedKg) kg, shrink \(.shrinkKg) kg, ungraded \(.ungradedKg) kg",
  (.grades[] | "  \(.grade | . + "        " | .[0:9]) \(.gradedKg) kg graded, \(.packedKg) kg packed into orders")'
echo "$FULFILMENT" | jq -r '"Enping     \(.contracts) contracts: \(.deliveredKg) kg delivered to the cooperative so far, of \(.expectedKg) kg expected this season"'
printf 'Beijing    %s boxes × 5 kg grade 1, %s %s: list %s yuan, negotiated %s yuan (75%%), saved %s yuan\n' \
  "$(echo "$BJ" | jq '.waybills | length')" "$(carrier_name "$(echo "$BJ" | jq -r .carrier)")" "$(echo "$BJ" | jq -r .product)" \
  "$(yuan "$(echo "$BJ" | jq .listFen)")" "$(yuan "$(echo "$BJ" | jq .negotiatedFen)")" "$(yuan "$(echo "$BJ" | jq .savingFen)")"
printf '           delivered %s h after pickup against the 48 h promise — %s (waybill %s)\n' "$(hours "$BJ_TRACK")" "$(on_time "$BJ_TRACK")" "$(echo "$BJ_TRACK" | jq -r .waybillNo)"
printf 'Shanghai   %s boxes × 5 kg premium and grade 2, %s %s: list %s yuan, negotiated %s yuan (80%%), saved %s yuan\n' \
  "$(echo "$SH" | jq '.waybills | length')" "$(carrier_name "$(echo "$SH" | jq -r .carrier)")" "$(echo "$SH" | jq -r .product)" \
  "$(yuan "$(echo "$SH" | jq .listFen)")" "$(yuan "$(echo "$SH" | jq .negotiatedFen)")" "$(yuan "$(echo "$SH" | jq .savingFen)")"
printf '           delivered %s h after pickup against the 48 h promise — %s (waybill %s)\n' "$(hours "$SH_TRACK")" "$(on_time "$SH_TRACK")" "$(echo "$SH_TRACK" | jq -r .waybillNo)"
T="$(echo "$SETTLEMENT" | jq .totals)"
printf 'Settlement %s – %s, %s orders: revenue %s − freight %s − boxes %s − commission %s − sorting fee %s = %s yuan to growers, + %s yuan guarantee top-ups\n' \
  "$(echo "$SETTLEMENT" | jq -r .from)" "$(echo "$SETTLEMENT" | jq -r .to)" "$(echo "$SETTLEMENT" | jq .orders)" \
  "$(yuan "$(echo "$T" | jq .revenueFen)")" "$(yuan "$(echo "$T" | jq .freightFen)")" "$(yuan "$(echo "$T" | jq .packagingFen)")" \
  "$(yuan "$(echo "$T" | jq .commissionFen)")" "$(yuan "$(echo "$T" | jq .deductionsFen)")" "$(yuan "$(echo "$T" | jq .payoutFen)")" \
  "$(yuan "$(echo "$T" | jq .topUpFen)")"
printf 'Advances   %s 300 yuan and %s 200 yuan paid at harvest: %s yuan netted on this week'"'"'s statements, the rest carried forward\n' \
  "${ADVANCED_NOS[0]}" "${ADVANCED_NOS[1]}" "$(yuan "$(echo "$T" | jq .advancesNettedFen)")"
printf 'Surplus    %s: %s yuan distributable, %s%% by volume = %s yuan to %s members, %s yuan retained for the assembly\n' \
  "$(echo "$SURPLUS" | jq .year)" "$(yuan "$(echo "$SURPLUS" | jq .distributableFen)")" "$(($(echo "$SURPLUS" | jq .volumeShareBps) / 100))" \
  "$(yuan "$(echo "$SURPLUS" | jq .byVolumeFen)")" "$(echo "$SURPLUS" | jq '.members | length')" "$(yuan "$(echo "$SURPLUS" | jq .retainedFen)")"
echo "Payouts per grower (sold, credited after the sorting fee, advance netted, surplus return):"
echo "$SETTLEMENT" | jq -r --argjson surplus "$SURPLUS" '($surplus.members | map({(.memberNo): .amountFen}) | add) as $back
  | .statements | sort_by(.memberNo)[]
  | "\(.memberNo) \(.payoutFen) \(.topUpFen) \([.lines[].kg] | add * 1000 | round / 1000) \(.deductionsFen) \(.advanceNettedFen) \($back[.memberNo] // 0)"' |
  while read -r member payout topup sold fee netted back; do
    printf '  %-8s %8s kg sold  %9s yuan' "$member" "$sold" "$(yuan "$((payout + topup))")"
    if [ "$topup" -gt 0 ]; then printf '  (%s from the pools + %s guarantee top-up)' "$(yuan "$payout")" "$(yuan "$topup")"; fi
    printf '  fee −%s' "$(yuan "$fee")"
    if [ "$netted" -gt 0 ]; then printf '  advance −%s' "$(yuan "$netted")"; fi
    printf '  surplus +%s\n' "$(yuan "$back")"
  done
CQ_INTAKE="$(get "$CQ_CLERK" "/api/v1/cooperative/reports/intake?from=$(ago 1)&to=$DAY")"
CQ_SHIP="$(get "$CQ_COURIER" "/api/v1/dispatch/shipments/$CQ_SHIPMENT")"
CQ_T="$(echo "$CQ_SETTLEMENT" | jq .totals)"
echo
echo "================ 长乔村合作社 · its own profile, carrier account and books on the same installation ================"
echo "$CQ_INTAKE" | jq -r '"Received   \(.receivedKg) kg in \(.receipts) receipts; graded \(.gradedKg) kg"'
printf 'Receipts   numbered %s … under its own prefix\n' "$(get "$CQ_CLERK" "/api/v1/cooperative/receipts?limit=1" | jq -r '.items[0].receiptNo')"
printf 'Beijing    %s boxes × 5 kg grade 1, SF express from 杜阮镇长乔村 on its own monthly account: list %s yuan, negotiated %s yuan\n' \
  "$(echo "$CQ_SHIP" | jq '.waybills | length')" "$(yuan "$(echo "$CQ_SHIP" | jq .listFen)")" "$(yuan "$(echo "$CQ_SHIP" | jq .negotiatedFen)")"
printf 'Settlement %s – %s: revenue %s − freight %s − boxes %s (3.50 yuan each) − commission %s (6%%) = %s yuan to growers\n' \
  "$(echo "$CQ_SETTLEMENT" | jq -r .from)" "$(echo "$CQ_SETTLEMENT" | jq -r .to)" "$(yuan "$(echo "$CQ_T" | jq .revenueFen)")" \
  "$(yuan "$(echo "$CQ_T" | jq .freightFen)")" "$(yuan "$(echo "$CQ_T" | jq .packagingFen)")" "$(yuan "$(echo "$CQ_T" | jq .commissionFen)")" \
  "$(yuan "$(echo "$CQ_T" | jq .payoutFen)")"
CQ_BIG_O="$(get "$CQ_CLERK" "/api/v1/cooperative/orders/$CQ_BIG")"
CQ_LOST_O="$(get "$CQ_CLERK" "/api/v1/cooperative/orders/$CQ_LOST")"
RESTOCKED_ON="$(get "$CQ_CLERK" "/api/v1/cooperative/receipts/$(echo "$CQ_BIG_O" | jq -r '[.boxes[] | select(.returned == "restock")][0].sources[0].receiptId')" | jq -r .harvestedOn)"
printf 'Returned   Shanghai, %s boxes booked as %s SF carrier orders: %s delivered, %s refused and sent back — %s; the box scanned back in and restocked, harvested %s\n' \
  "$(echo "$CQ_BIG_O" | jq '.boxes | length')" "$(get "$CQ_CLERK" "/api/v1/dispatch/shipments/$CQ_BIG_SHIPMENT" | jq '.carrierOrders | length')" \
  "$(echo "$CQ_BIG_O" | jq '[.boxes[] | select(.outcome == "delivered")] | length')" "$(echo "$CQ_BIG_O" | jq '[.boxes[] | select(.outcome == "returned")] | length')" \
  "$(echo "$CQ_BIG_O" | jq -r .outcome)" "$RESTOCKED_ON"
printf 'Lost       Beijing, %s boxes of grade 2: SF declared waybill %s lost; claimed %s yuan from SF, paid %s yuan into the grade 2 pool\n' \
  "$(echo "$CQ_LOST_O" | jq '.boxes | length')" "$LOST_WAYBILL" "$(yuan 41000)" "$(yuan "$(echo "$CQ_LOST_O" | jq .compensationFen)")"
CQ_CLAIM_V="$(get "$CQ_CLERK" "/api/v1/cooperative/claims/$CQ_CLAIM")"
CQ_T2="$(echo "$CQ_SETTLEMENT2" | jq .totals)"
printf 'Claim      新发地 opened %s spoiled boxes of its settled order: asked %s yuan, accepted %s yuan, paid back as %s adjustment lines on the next settlement\n' \
  "$(echo "$CQ_CLAIM_V" | jq '.traceCodes | length')" "$(yuan "$(echo "$CQ_CLAIM_V" | jq .creditAskedFen)")" "$(yuan "$(echo "$CQ_CLAIM_V" | jq .creditFen)")" \
  "$(echo "$CQ_SETTLEMENT2" | jq '[.statements[].adjustments // [] | .[] | select(.kind == "credit")] | length')"
CQ_QUOTE="$(echo "$CQ_SHIP" | jq .negotiatedFen)"
printf 'Billed     SF billed waybill %s (the Beijing order) %s yuan against its %s yuan quote after its settlement: %s yuan more freight, taken as %s adjustment lines on the next settlement\n' \
  "$CQ_WAYBILL" "$(yuan "$CQ_BILLED_FEN")" "$(yuan "$CQ_QUOTE")" "$(yuan "$((CQ_BILLED_FEN - CQ_QUOTE))")" \
  "$(echo "$CQ_SETTLEMENT2" | jq '[.statements[].adjustments // [] | .[] | select(.kind == "freight")] | length')"
CQ_RECON="$(get "$CQ_CLERK" "/api/v1/cooperative/freight-reconciliation?month=$CQ_MONTH")"
printf 'Reconciled %s (对账): %s waybills, quoted %s yuan, billed %s yuan, difference %s yuan — /api/v1/cooperative/freight-reconciliation?month=%s (JSON or CSV)\n' \
  "$CQ_MONTH" "$(echo "$CQ_RECON" | jq '.waybills | length')" "$(yuan "$(echo "$CQ_RECON" | jq '[.carriers[].quotedFen] | add')")" \
  "$(yuan "$(echo "$CQ_RECON" | jq '[.carriers[].billedFen] | add')")" "$(yuan "$(echo "$CQ_RECON" | jq '[.carriers[].differenceFen] | add')")" "$CQ_MONTH"
printf 'Settlement %s – %s: revenue %s − credits %s + compensation %s = growers %s + freight %s + boxes %s + commission %s yuan\n' \
  "$(echo "$CQ_SETTLEMENT2" | jq -r .from)" "$(echo "$CQ_SETTLEMENT2" | jq -r .to)" "$(yuan "$(echo "$CQ_T2" | jq .revenueFen)")" \
  "$(yuan "$(echo "$CQ_T2" | jq .creditsFen)")" "$(yuan "$(echo "$CQ_T2" | jq .compensationFen)")" "$(yuan "$(echo "$CQ_T2" | jq .payoutFen)")" \
  "$(yuan "$(echo "$CQ_T2" | jq .freightFen)")" "$(yuan "$(echo "$CQ_T2" | jq .packagingFen)")" "$(yuan "$(echo "$CQ_T2" | jq .commissionFen)")"
printf 'Apart      Changqiao sees %s members, Shangxiang %s: each only its own\n' \
  "$(get "$CQ_CLERK" "/api/v1/cooperative/growers?limit=500" | jq '.items | length')" "$(get "$CLERK" "/api/v1/cooperative/growers?limit=500" | jq '.items | length')"
cat <<URLS
Open
  Swagger UI        $GATEWAY/swagger
  Track a parcel    $GATEWAY/track   (waybill $(echo "$BJ_TRACK" | jq -r .waybillNo), phone ending ${BJ_PHONE: -4})
  A box's story     $GATEWAY/trace/$TRACE_CODE
URLS
