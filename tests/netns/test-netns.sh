#!/bin/bash
# test-netns.sh — the gateway on a simulated customer LAN, with network namespaces.
#
#   site LAN 10.231.1.0/24, fd31:231:1::/64         remote 10.231.2.0/24, fd31:231:2::/64
#   ┌────────┐  ┌────────┐                          ┌────────┐
#   │gateway │  │ laptop │                          │ remote │
#   │  .10   │  │  .20   │                          │  .20   │
#   └───┬────┘  └───┬────┘                          └───┬────┘
#       └────── br0 (.1) ── router (ip_forward) ── (.1) ┘
#
# Each of gateway and laptop runs its own avahi-daemon on its own private "system" bus
# (a dbus-daemon with a test config on a Unix socket). The gateway runs the built uplinkd
# and uplink-pbxsim. Checked:
#   - the laptop browses and resolves _uplink._tcp with the right TXT record (v, id, fp,
#     claimed, acct, name), and the certificate it then sees matches the fp it pinned;
#   - an mDNS name already taken on the LAN makes uplinkd publish an alternative name;
#   - the claim is refused (403) from the remote subnet, over IPv4 and IPv6, although the
#     gateway is reachable from there, and succeeds from the laptop;
#   - the laptop logs in and completes onboarding over HTTPS alone, pinning the
#     certificate: customer, site, PBX, Connect → "overview"; TXT follows (claimed, acct);
#   - uplinkd publishes again after avahi-daemon restarts.
# Needs root; skipped otherwise (exit 77). Everything it creates is removed on exit.
#
# Usage: test-netns.sh UPLINKD PBXSIM
set -euo pipefail

UPLINKD=${1:?usage: test-netns.sh UPLINKD PBXSIM}
PBXSIM=${2:?usage: test-netns.sh UPLINKD PBXSIM}

skip () {
    echo "SKIP: $*"
    exit 77
}

[ "$(id -u)" -eq 0 ] || skip "needs root to make network namespaces (CI runs it as root)"
for tool in ip avahi-daemon avahi-browse avahi-publish dbus-daemon curl openssl python3 unshare; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps)"
done
ip netns add "ulprobe$$" 2>/dev/null || skip "cannot create network namespaces here"
ip netns del "ulprobe$$"

suffix=$(printf '%x' $$)
GW=ulgw$suffix
LAP=ullap$suffix
RTR=ulrtr$suffix
REM=ulrem$suffix
work=$(mktemp -d /tmp/uplink-netns-XXXXXX)
pids=()
step=0

cleanup () {
    set +e
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null
    done
    for ns in "$GW" "$LAP" "$RTR" "$REM"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
        ip netns del "$ns" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok () {
    step=$((step + 1))
    echo "ok $step - $*"
}

fail () {
    echo "FAIL: $*" >&2
    for f in "$work"/*.log; do
        echo "---- $f" >&2
        tail -n 30 "$f" >&2
    done
    exit 1
}

# Waits (bounded) until the command succeeds.
wait_for () {
    local seconds=$1
    shift
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.2
    done
}

in_ns () {
    local ns=$1
    shift
    ip netns exec "$ns" "$@"
}

# --- the network ---------------------------------------------------------------------------

for ns in "$GW" "$LAP" "$RTR" "$REM"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
done

ip -n "$RTR" link add br0 type bridge mcast_snooping 0
ip -n "$RTR" addr add 10.231.1.1/24 dev br0
ip -n "$RTR" addr add fd31:231:1::1/64 dev br0 nodad
ip -n "$RTR" link set br0 up
for host in "$GW:gw0:10" "$LAP:lap0:20"; do
    IFS=: read -r ns dev last <<<"$host"
    ip link add "$dev" netns "$ns" type veth peer name "${dev}p" netns "$RTR"
    ip -n "$RTR" link set "${dev}p" master br0 up
    ip -n "$ns" addr add "10.231.1.$last/24" dev "$dev"
    ip -n "$ns" addr add "fd31:231:1::$last/64" dev "$dev" nodad
    ip -n "$ns" link set "$dev" up
    ip -n "$ns" route add default via 10.231.1.1
    ip -n "$ns" -6 route add default via fd31:231:1::1
done
ip link add rem0 netns "$REM" type veth peer name rtr1 netns "$RTR"
ip -n "$RTR" addr add 10.231.2.1/24 dev rtr1
ip -n "$RTR" addr add fd31:231:2::1/64 dev rtr1 nodad
ip -n "$RTR" link set rtr1 up
ip -n "$REM" addr add 10.231.2.20/24 dev rem0
ip -n "$REM" addr add fd31:231:2::20/64 dev rem0 nodad
ip -n "$REM" link set rem0 up
ip -n "$REM" route add default via 10.231.2.1
ip -n "$REM" -6 route add default via fd31:231:2::1
in_ns "$RTR" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ok "site LAN, router and remote subnet"

# --- a private system bus and an avahi-daemon per host ---------------------------------------

start_bus () {
    local name=$1
    cat > "$work/bus-$name.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$work/bus-$name</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOF
    dbus-daemon --config-file="$work/bus-$name.conf" --nofork --nopidfile \
        >"$work/bus-$name.log" 2>&1 &
    pids+=($!)
    wait_for 10 test -S "$work/bus-$name" || fail "the $name bus did not start"
}

# avahi-daemon keeps its pid file and socket in /run/avahi-daemon: each one gets a /run of
# its own (ip netns exec already gives it a private mount namespace).
start_avahi () {
    local name=$1 ns=$2 dev=$3
    cat > "$work/avahi-$name.conf" <<EOF
[server]
host-name=$name$suffix
use-ipv4=yes
use-ipv6=no
allow-interfaces=$dev
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
publish-aaaa-on-ipv4=no
[reflector]
[rlimits]
EOF
    in_ns "$ns" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus-$name" \
        sh -c "mount -t tmpfs tmpfs /run && exec avahi-daemon -f '$work/avahi-$name.conf' --no-drop-root --no-chroot --no-rlimits" \
        >"$work/avahi-$name.log" 2>&1 &
    avahi_pid=$!
    pids+=($avahi_pid)
    wait_for 15 grep -q "Server startup complete" "$work/avahi-$name.log" \
        || fail "avahi-daemon ($name) did not start"
}

start_bus gw
start_bus lap
start_avahi gw "$GW" gw0
gw_avahi=$avahi_pid
start_avahi lap "$LAP" lap0
ok "a private system bus and an avahi-daemon in the gateway and the laptop namespaces"

lap_dbus=(env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus-lap")

# Someone on the LAN already uses the name uplinkd is configured with.
in_ns "$LAP" "${lap_dbus[@]}" avahi-publish -s "Uplink site" _uplink._tcp 9 "id=impostor" \
    >"$work/impostor.log" 2>&1 &
pids+=($!)
wait_for 10 grep -q "Established" "$work/impostor.log" || fail "avahi-publish did not publish"

# --- the gateway -----------------------------------------------------------------------------

in_ns "$GW" "$PBXSIM" --listen 127.0.0.1 --port 7001 --demo --username cloudlink \
    --password "s3cret-Passw0rd" --export-csv "$work/users.csv" >"$work/pbxsim.log" 2>&1 &
pids+=($!)
wait_for 10 test -s "$work/users.csv" || fail "uplink-pbxsim did not start"

cat > "$work/uplinkd.conf" <<EOF
[uplinkd]
[mdns]
name=Uplink site
EOF
# ip and env exec: $! is uplinkd itself, so its exit status can be checked at the end.
ip netns exec "$GW" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus-gw" \
    DBUS_SESSION_BUS_ADDRESS="unix:path=$work/bus-gw" \
    "$UPLINKD" --session --data-dir "$work/gw-state" --config "$work/uplinkd.conf" \
    --https-port 8443 --http-port 8080 >"$work/uplinkd.out" 2>"$work/uplinkd.log" &
uplinkd_pid=$!
pids+=($uplinkd_pid)
wait_for 20 grep -q "^listening https=8443" "$work/uplinkd.out" || fail "uplinkd did not start"
wait_for 20 grep -q "published" "$work/uplinkd.log" || fail "uplinkd did not publish over mDNS"
grep -q "Uplink site #2" "$work/uplinkd.log" || fail "no alternative name after the collision"
ok "uplinkd publishes _uplink._tcp, under an alternative name since its own was taken"

# --- discovery from the laptop ---------------------------------------------------------------

# One resolved entry of ours (not the impostor's): fields as avahi-browse -p prints them.
browse () {
    in_ns "$LAP" "${lap_dbus[@]}" timeout 10 avahi-browse -rpt _uplink._tcp 2>/dev/null \
        | grep '^=' | grep -v 'id=impostor' | head -n1
}

txt_value () {
    python3 - "$1" "$2" <<'EOF'
import re, sys
for item in re.findall(r'"((?:[^"\\]|\\.)*)"', sys.argv[1].split(';', 9)[9]):
    key, _, value = item.partition('=')
    if key == sys.argv[2]:
        print(value)
EOF
}

browsed_with () {
    entry=$(browse)
    [ -n "$entry" ] && [ "$(txt_value "$entry" "$1")" = "$2" ]
}

wait_for 20 browsed_with claimed 0 || fail "the laptop does not find the gateway: $(browse)"
IFS=';' read -r _ _ _ service _ _ _ address port _ <<<"$entry"
fp=$(txt_value "$entry" fp)
gateway_id=$(txt_value "$entry" id)
# avahi-browse -p escapes a label's specials as \DDD.
service=$(python3 -c 'import re, sys; print(re.sub(r"\\(\d{3})", lambda m: chr(int(m[1])), sys.argv[1]))' "$service")
[ "$service" = "Uplink site #2" ] || fail "unexpected service name $service"
[ "$address" = 10.231.1.10 ] || fail "resolved to $address"
[ "$port" = 8443 ] || fail "resolved port $port"
[ "$(txt_value "$entry" v)" = 1 ] || fail "TXT v"
[ "$(txt_value "$entry" name)" = "Uplink gateway" ] || fail "TXT name"
[ ${#fp} -eq 64 ] || fail "TXT fp $fp"
[ ${#gateway_id} -eq 36 ] || fail "TXT id $gateway_id"
[ -z "$(txt_value "$entry" acct)" ] || fail "TXT acct before the claim"
ok "the laptop browses and resolves the gateway: $address:$port, TXT v, id, fp, claimed=0, name"

# Pin: the certificate served must be the one the TXT record names; then every request
# pins its public key.
cert_pem=$(in_ns "$LAP" openssl s_client -connect "$address:$port" </dev/null 2>/dev/null \
    | openssl x509)
seen_fp=$(openssl x509 -outform DER <<<"$cert_pem" | sha256sum | cut -d' ' -f1)
[ "$seen_fp" = "$fp" ] || fail "certificate $seen_fp does not match TXT fp $fp"
spki=$(openssl x509 -pubkey -noout <<<"$cert_pem" | openssl pkey -pubin -outform DER \
    | openssl dgst -sha256 -binary | base64)
ok "the gateway's certificate matches the fingerprint published over mDNS"

# api NS METHOD PATH [BODY [TOKEN [HOST]]] → prints "STATUS BODY"
api () {
    local ns=$1 method=$2 path=$3 body=${4:-} token=${5:-} host=${6:-$address}
    local args=(-sk --pinnedpubkey "sha256//$spki" -X "$method" -w '\n%{http_code}'
                --max-time 30 -H 'Content-Type: application/json')
    [ -n "$body" ] && args+=(--data-binary "$body")
    [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
    local out
    out=$(in_ns "$ns" curl "${args[@]}" "https://$host:8443$path")
    echo "$(tail -n1 <<<"$out") $(sed '$d' <<<"$out")"
}

json () {
    python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval("d" + sys.argv[2]))' "$1" "$2"
}

claim='{"email": "tech@partner.example", "password": "correct horse battery staple"}'

# --- the claim -------------------------------------------------------------------------------

reply=$(api "$REM" GET /api/v1/gateway)
[ "${reply%% *}" = 200 ] || fail "the gateway is not reachable from the remote subnet: $reply"
[ "$(json "${reply#* }" "['gatewayId']")" = "$gateway_id" ] || fail "another gateway answered"
reply=$(api "$REM" POST /api/v1/claim "$claim")
[ "${reply%% *}" = 403 ] || fail "claim from the remote subnet: $reply"
[ "$(json "${reply#* }" "['error']['code']")" = permission-denied ] || fail "$reply"
reply=$(api "$REM" POST /api/v1/claim "$claim" "" "[fd31:231:1::10]")
[ "${reply%% *}" = 403 ] || fail "claim from the remote subnet over IPv6: $reply"
ok "the claim is refused from the remote subnet (IPv4 and IPv6), which reaches the gateway"

reply=$(api "$LAP" POST /api/v1/claim "$claim")
[ "${reply%% *}" = 201 ] || fail "claim from the laptop: $reply"
reply=$(api "$LAP" POST /api/v1/claim "$claim")
[ "${reply%% *}" = 409 ] || fail "second claim: $reply"
wait_for 20 browsed_with claimed 1 || fail "TXT claimed stays 0: $(browse)"
ok "the laptop on the site LAN claims the gateway; TXT says claimed=1"

# --- login and onboarding over HTTPS alone ---------------------------------------------------

reply=$(api "$LAP" POST /api/v1/login "$claim")
[ "${reply%% *}" = 200 ] || fail "login: $reply"
token=$(json "${reply#* }" "['token']")

step_ok () {
    local expected=$1
    shift
    reply=$(api "$LAP" "$@")
    [ "${reply%% *}" = "$expected" ] || fail "$2 $3: $reply"
}

step_ok 200 PATCH /api/v1/customer '{"name": "ACME AG",
  "address": {"street": "Bahnhofstrasse 1", "city": "Zürich", "postalCode": "8001", "country": "CH"},
  "businessType": "manufacturing", "language": "de",
  "adminContacts": [{"name": "Jürgen Müller", "email": "juergen@acme.example"}],
  "supportContacts": [{"role": "maintainer", "name": "Partner Tech", "email": "tech@partner.example"},
                      {"role": "onsiteAdmin", "name": "Zoë Ångström", "email": "zoe@acme.example"}]}' "$token"
account_id=$(json "${reply#* }" "['accountId']")
step_ok 200 PATCH /api/v1/site '{"name": "Zürich HQ", "platform": "standalone",
  "ethernet": {"method": "static", "address": "10.231.1.10", "netmask": "255.255.255.0",
               "gateway": "10.231.1.1", "dns": ["10.231.1.1"]}}' "$token"
step_ok 200 PATCH /api/v1/pbx '{"name": "ACME-PBX", "host": "127.0.0.1", "port": 7001,
  "username": "cloudlink", "password": "s3cret-Passw0rd"}' "$token"
step_ok 200 PATCH /api/v1/directory "{\"kind\": \"csv\", \"csv\": {\"path\": \"$work/users.csv\"}}" "$token"
step_ok 200 POST /api/v1/pbx/connect '{"syncSchedule": 60}' "$token"
[ "$(json "${reply#* }" "['message']")" = "Connection successful" ] || fail "connect: $reply"
status_is () {
    reply=$(api "$LAP" GET /api/v1/status "" "$token")
    code=$(json "${reply#* }" "['code']")
    [ "$code" = "$1" ] || [ "$code" = "${2:-$1}" ]
}
wait_for 20 status_is overview users-missing-email || fail "status after Connect: $reply"
step_ok 200 GET "/api/v1/users?limit=5" "" "$token"
[ "$(json "${reply#* }" "['total']")" -gt 0 ] || fail "no users after Connect"
ok "the laptop logs in and onboards over HTTPS alone: customer, site, PBX, Connect → $code"

wait_for 20 browsed_with acct "$account_id" || fail "TXT acct missing: $(browse)"
[ "$(txt_value "$entry" name)" = "ACME AG" ] || fail "TXT name after onboarding: $entry"
ok "TXT follows: acct=$account_id, name=ACME AG"

# --- avahi-daemon restarts -------------------------------------------------------------------

# $gw_avahi is the shell that started it; the daemon is the gateway's avahi-daemon process.
for pid in $(ip netns pids "$GW"); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = avahi-daemon ] && kill "$pid"
done
wait "$gw_avahi" 2>/dev/null || true
wait_for 20 grep -q "lost avahi-daemon" "$work/uplinkd.log" || fail "uplinkd did not notice"
start_avahi gw "$GW" gw0
wait_for 30 browsed_with acct "$account_id" || fail "not published again: $(browse)"
ok "uplinkd publishes again after avahi-daemon restarts"

reply=$(api "$LAP" GET /api/v1/gateway)
[ "${reply%% *}" = 200 ] || fail "uplinkd stopped answering"

# A clean stop (under the sanitizers this is also where leaks would show).
kill -TERM "$uplinkd_pid"
status=0
wait "$uplinkd_pid" || status=$?
[ "$status" -eq 0 ] || fail "uplinkd exited with status $status"
ok "uplinkd stops cleanly"
echo "1..$step"
