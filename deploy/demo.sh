#!/usr/bin/env bash
# Seeds a demo season through the public API only (the Gateway), as the cooperative's staff would enter it:
# the Enping contract-growing programme (ContractGrowing) and a week of Shangxiang receipts and gradings
# (Cooperative). Every POST carries an Idempotency-Key, so running it again the same day changes nothing.
set -euo pipefail

GATEWAY="${GATEWAY:-http://127.0.0.1:8080}"
COOP="shangxiang"
DAY="$(TZ=Asia/Shanghai date +%F)"

token() {
  curl -fsS -X POST "$GATEWAY/api/v1/dev/tokens" -H 'Content-Type: application/json' \
    -d "{\"role\":\"$1\",\"subject\":\"demo-$1\",\"cooperativeId\":\"$COOP\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
CLERK="$(token clerk)"
OFFICER="$(token officer)"

# post TOKEN PATH KEY JSON → response body; fails loudly on any non-2xx.
post() {
  local out code
  out="$(mktemp)"
  code="$(curl -sS -o "$out" -w '%{http_code}' -X POST "$GATEWAY$2" -H "Authorization: Bearer $1" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: demo-$DAY-$3" -d "$4")"
  if [ "${code:0:1}" != 2 ]; then echo "demo: POST $2 answered $code: $(cat "$out")" >&2; rm -f "$out"; exit 1; fi
  cat "$out"; rm -f "$out"
}
id_of() { sed -n 's/^{"id":"\([^"]*\)".*/\1/p'; }
kg() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
ago() { TZ=Asia/Shanghai date -d "$DAY - $1 days" +%F; }

if curl -fsS "$GATEWAY/api/v1/cooperative/growers?limit=1" -H "Authorization: Bearer $CLERK" | grep -q '"memberNo"'; then
  echo "demo: the cooperative already has members — demo season not seeded again"
  exit 0
fi

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
for i in "${!CONTRACTS[@]}"; do
  no="$(printf 'EP-%03d' $((i + 1)))"
  IFS=: read -r name town village area <<<"${ENPING[$i]}"
  MEMBERS+=("$(post "$CLERK" /api/v1/cooperative/growers "member-$no" \
    "{\"memberNo\":\"$no\",\"name\":\"$name\",\"phone\":\"1362222000$((i + 1))\",\"village\":\"$village\",\"kind\":\"contract\",\"contractId\":\"${CONTRACTS[$i]}\"}" | id_of)")
done

echo "demo: a week of receipts and gradings (统一收货 · 统一挑选)"
RECEIVED=0
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
    RECEIVED=$((RECEIVED + gross))
  done
done
echo "demo: seeded 5 Enping contracts (6,000 seedlings of DR-2026-A1, 26,700 m²), 29 growers, 56 receipts — $(kg $RECEIVED) kg received this week"
