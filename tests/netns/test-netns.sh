#!/bin/bash
# test-netns.sh — the gateway on a simulated customer LAN, with network namespaces.
#
#   site LAN 10.231.1.0/24, fd31:231:1::/64            remote 10.231.2.0/24, fd31:231:2::/64
#   ┌────────┐  ┌─────────────┐                        ┌────────┐
#   │gateway │  │   laptop    │                        │ remote │
#   │  .10   │  │ .20 and .21 │                        │  .20   │
#   └───┬────┘  └──┬───────┬──┘                        └───┬────┘
#       └────── br0 (.1) ── router (ip_forward, mDNS reflector) ── (.1)
#
# Gateway, laptop and remote each run their own avahi-daemon (IPv4 and IPv6) on their own
# private "system" bus (a dbus-daemon with a test config on a Unix socket); the router's
# avahi-daemon reflects mDNS between its two networks, as many sites do between VLANs. The
# laptop is on the LAN twice (cable and Wi-Fi), so it hears each announcement four times.
# The gateway runs the built uplinkd and uplink-pbxsim, the remote host a second uplinkd.
# Checked:
#   - the laptop browses and resolves _uplink._tcp with the right TXT record (v, id, fp,
#     claimed, acct, name), and the certificate it then sees matches the fp it pinned;
#   - an mDNS name already taken on the LAN makes uplinkd publish an alternative name;
#   - the claim is refused (403) from the remote subnet, over IPv4 and IPv6, although the
#     gateway is reachable from there, and succeeds from the laptop;
#   - the laptop logs in and completes onboarding over HTTPS alone, pinning the
#     certificate: customer, site, PBX, Connect → "overview"; TXT follows (claimed, acct);
#   - uplinkd publishes again after avahi-daemon restarts.
# With DASHBOARD (tests/gui/test-discovery: the real dashboard code, under Xvfb in the
# laptop's namespace), the dashboard's side too: the "no gateway found" page and its
# reasons (nothing announced; avahi-daemon stopped), the gateway shown once with its TXT
# name, pinned to its TXT fingerprint on first contact and claimed through Create
# Customer, the reflected remote gateway not offered for it, the claimed flag and account
# IDs from TXT, the "certificate changed" state with no credentials sent after uplinkd
# made a new certificate, and the gateway leaving when uplinkd stops. The dashboard asks
# the shell for each change of the network ("@@ action" on its fd 3, "ok …" back on its
# stdin); every wait on either side is bounded.
# Needs root; skipped otherwise (exit 77). Everything it creates is removed on exit.
#
# Usage: test-netns.sh UPLINKD PBXSIM [DASHBOARD]
set -euo pipefail

UPLINKD=${1:?usage: test-netns.sh UPLINKD PBXSIM [DASHBOARD]}
PBXSIM=${2:?usage: test-netns.sh UPLINKD PBXSIM [DASHBOARD]}
DASHBOARD=${3:-}

skip () {
    echo "SKIP: $*"
    exit 77
}

[ "$(id -u)" -eq 0 ] || skip "needs root to make network namespaces (CI runs it as root)"
for tool in ip avahi-daemon avahi-browse avahi-publish dbus-daemon gdbus curl openssl python3 \
            unshare; do
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
for host in "$GW:gw0:10" "$LAP:lap0:20" "$LAP:lap1:21"; do
    IFS=: read -r ns dev last <<<"$host"
    ip link add "$dev" netns "$ns" type veth peer name "${dev}p" netns "$RTR"
    ip -n "$RTR" link set "${dev}p" master br0 up
    ip -n "$ns" addr add "10.231.1.$last/24" dev "$dev"
    ip -n "$ns" addr add "fd31:231:1::$last/64" dev "$dev" nodad
    ip -n "$ns" link set "$dev" up
done
for ns in "$GW" "$LAP"; do
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
ok "site LAN (the laptop on it twice), router and remote subnet"

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
# its own (ip netns exec already gives it a private mount namespace). The router's only
# reflects, and needs no bus.
start_avahi () {
    local name=$1 ns=$2 devs=$3 reflector=${4:-no}
    local dbus=yes
    [ "$reflector" = no ] || dbus=no
    cat > "$work/avahi-$name.conf" <<EOF
[server]
host-name=$name$suffix
use-ipv4=yes
use-ipv6=yes
allow-interfaces=$devs
enable-dbus=$dbus
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
publish-aaaa-on-ipv4=no
[reflector]
enable-reflector=$reflector
[rlimits]
EOF
    # Emptied here, not by the daemon's redirection: a restart must not find the last
    # run's "Server startup complete".
    : >"$work/avahi-$name.log"
    in_ns "$ns" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus-$name" \
        sh -c "mount -t tmpfs tmpfs /run && exec avahi-daemon -f '$work/avahi-$name.conf' --no-drop-root --no-chroot --no-rlimits" \
        >>"$work/avahi-$name.log" 2>&1 &
    avahi_pid=$!
    pids+=($avahi_pid)
    wait_for 15 grep -q "Server startup complete" "$work/avahi-$name.log" \
        || fail "avahi-daemon ($name) did not start"
}

# Stops the avahi-daemon of namespace $1, which $2 started.
stop_avahi () {
    local ns=$1 started=$2
    for pid in $(ip netns pids "$ns"); do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = avahi-daemon ] && kill "$pid"
    done
    wait "$started" 2>/dev/null || true
}

start_bus gw
start_bus lap
start_bus rem
start_avahi gw "$GW" gw0
gw_avahi=$avahi_pid
start_avahi lap "$LAP" lap0,lap1
lap_avahi=$avahi_pid
start_avahi rem "$REM" rem0
start_avahi rtr "$RTR" br0,rtr1 yes
ok "a private system bus and an avahi-daemon on gateway, laptop and remote; a reflector on the router"

lap_dbus=(env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus-lap")

# --- the dashboard in the laptop -------------------------------------------------------------

# expect ACTION: waits for the dashboard to ask for ACTION; answer WORDS: tells it
# "ok WORDS". Without a dashboard both do nothing.
expect () {
    [ -n "$DASHBOARD" ] || return 0
    local line
    IFS= read -r -t 240 line <&"$dash_out" \
        || fail "the dashboard ended or stalled before asking to $1 (see dashboard.log)"
    [ "$line" = "@@ $1" ] || fail "the dashboard asked “$line”, the shell expected “@@ $1”"
}

answer () {
    [ -n "$DASHBOARD" ] || return 0
    echo "ok $*" >&"$dash_in"
}

if [ -n "$DASHBOARD" ]; then
    # As in tests/gui: GTK, fontconfig and Mesa caches show as leaks at exit, and GTK warns
    # about focus without a window manager, so only criticals are fatal.
    coproc DASH {
        in_ns "$LAP" "${lap_dbus[@]}" ASAN_OPTIONS=detect_leaks=0 \
            G_DEBUG=gc-friendly,fatal-criticals "$DASHBOARD" 3>&1 >"$work/dashboard.log" 2>&1
    }
    # Bash drops DASH[] when the coprocess ends: keep the pipes and the pid.
    dash_pid=$DASH_PID
    exec {dash_out}<&"${DASH[0]}" {dash_in}>&"${DASH[1]}"
    pids+=("$dash_pid")

    expect stop-laptop-avahi
    stop_avahi "$LAP" "$lap_avahi"
    answer
    expect start-laptop-avahi
    start_avahi lap "$LAP" lap0,lap1
    answer
    ok "the dashboard says why it finds no gateway: none announced, then no avahi-daemon"
    expect start-gateways
fi

# Someone on the LAN already uses the name uplinkd is configured with.
in_ns "$LAP" "${lap_dbus[@]}" avahi-publish -s "Uplink site" _uplink._tcp 9 "id=impostor" \
    >"$work/impostor.log" 2>&1 &
pids+=($!)
wait_for 10 grep -q "Established" "$work/impostor.log" || fail "avahi-publish did not publish"

# --- the gateways ----------------------------------------------------------------------------

in_ns "$GW" "$PBXSIM" --listen 127.0.0.1 --port 7001 --demo --username cloudlink \
    --password "s3cret-Passw0rd" --export-csv "$work/users.csv" >"$work/pbxsim.log" 2>&1 &
pids+=($!)
wait_for 10 test -s "$work/users.csv" || fail "uplink-pbxsim did not start"

# start_uplinkd HOST NS LOG NAME: uplinkd on HOST's bus with its state in $work/HOST-state,
# publishing as NAME; sets uplinkd_pid. ip and env exec: that pid is uplinkd itself, so its
# exit status can be checked.
start_uplinkd () {
    local host=$1 ns=$2 log=$3 name=$4
    printf '[uplinkd]\n[mdns]\nname=%s\n' "$name" >"$work/uplinkd-$host.conf"
    ip netns exec "$ns" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus-$host" \
        DBUS_SESSION_BUS_ADDRESS="unix:path=$work/bus-$host" \
        "$UPLINKD" --session --data-dir "$work/$host-state" --config "$work/uplinkd-$host.conf" \
        --https-port 8443 --http-port 8080 >"$work/$log.out" 2>"$work/$log.log" &
    uplinkd_pid=$!
    pids+=($uplinkd_pid)
    wait_for 20 grep -q "^listening https=8443" "$work/$log.out" \
        || fail "uplinkd ($log) did not start"
    wait_for 20 grep -q "published" "$work/$log.log" \
        || fail "uplinkd ($log) did not publish over mDNS"
}

# A clean stop (under the sanitizers this is also where leaks would show).
stop_uplinkd () {
    local pid=$1 status=0
    kill -TERM "$pid"
    wait "$pid" || status=$?
    [ "$status" -eq 0 ] || fail "uplinkd exited with status $status"
}

start_uplinkd gw "$GW" uplinkd "Uplink site"
gw_uplinkd=$uplinkd_pid
grep -q "Uplink site #2" "$work/uplinkd.log" || fail "no alternative name after the collision"
ok "uplinkd publishes _uplink._tcp, under an alternative name since its own was taken"

start_uplinkd rem "$REM" uplinkd-remote "Remote site"
remote_uplinkd=$uplinkd_pid
ok "a second uplinkd publishes on the remote subnet"

# --- discovery from the laptop ---------------------------------------------------------------

# Every resolved announcement the laptop hears, fields as avahi-browse -p prints them.
browse_all () {
    in_ns "$LAP" "${lap_dbus[@]}" timeout 10 avahi-browse -rpt _uplink._tcp 2>/dev/null \
        | grep '^=' || true
}

# The LAN gateway's, over IPv4 (not the impostor's, not the reflected remote one's).
browse () {
    browse_all | grep '^=;[^;]*;IPv4;' | grep ';10\.231\.1\.10;' | head -n1
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

# The remote gateway, reflected by the router; and how often the laptop hears the LAN one.
browse_remote () {
    remote_entry=$(browse_all | grep '^=;[^;]*;IPv4;' | grep ';10\.231\.2\.20;' | head -n1)
    [ -n "$remote_entry" ]
}
wait_for 20 browse_remote || fail "the router does not reflect the remote gateway: $(browse_all)"
remote_id=$(txt_value "$remote_entry" id)
[ ${#remote_id} -eq 36 ] && [ "$remote_id" != "$gateway_id" ] || fail "remote TXT id $remote_id"
heard () {
    local all
    all=$(browse_all | grep -F "\"id=$gateway_id\"" || true)
    announcements=$(grep -c . <<<"$all" || true)
    paths=$(cut -d';' -f2,3 <<<"$all" | sort -u | grep -c . || true)
    [ "$paths" -ge 4 ]
}
wait_for 20 heard \
    || fail "the laptop hears the gateway on $paths interface/protocol pairs only: $(browse_all)"
ok "the laptop hears the LAN gateway $announcements times (2 interfaces, IPv4 and IPv6), and the remote one"

# certificate NS HOST → seen_fp (SHA-256 of the DER, as TXT fp) and seen_spki (curl's pin)
certificate () {
    local pem
    pem=$(in_ns "$1" openssl s_client -connect "$2:8443" </dev/null 2>/dev/null | openssl x509)
    seen_fp=$(openssl x509 -outform DER <<<"$pem" | sha256sum | cut -d' ' -f1)
    seen_spki=$(openssl x509 -pubkey -noout <<<"$pem" | openssl pkey -pubin -outform DER \
        | openssl dgst -sha256 -binary | base64)
}

# Pin: the certificate served must be the one the TXT record names; then every request
# pins its public key.
certificate "$LAP" "$address"
[ "$seen_fp" = "$fp" ] || fail "certificate $seen_fp does not match TXT fp $fp"
spki=$seen_spki
ok "the gateway's certificate matches the fingerprint published over mDNS"

# api NS METHOD PATH [BODY [TOKEN [HOST [SPKI]]]] → prints "STATUS BODY"
api () {
    local ns=$1 method=$2 path=$3 body=${4:-} token=${5:-} host=${6:-$address} pin=${7:-$spki}
    local args=(-sk --pinnedpubkey "sha256//$pin" -X "$method" -w '\n%{http_code}'
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

if [ -n "$DASHBOARD" ]; then
    # The dashboard claims it through its Create Customer dialog, with $claim.
    answer "lan=$gateway_id fp=$fp remote=$remote_id announcements=$announcements"
    expect claimed
    who="the dashboard"
else
    reply=$(api "$LAP" POST /api/v1/claim "$claim")
    [ "${reply%% *}" = 201 ] || fail "claim from the laptop: $reply"
    who="curl"
fi
reply=$(api "$LAP" POST /api/v1/claim "$claim")
[ "${reply%% *}" = 409 ] || fail "second claim: $reply"
wait_for 20 browsed_with claimed 1 || fail "TXT claimed stays 0: $(browse)"
ok "the laptop on the site LAN claims the gateway ($who); TXT says claimed=1"

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
wait_for 20 status_is overview || fail "status after Connect: $reply"
step_ok 200 GET "/api/v1/users?limit=5" "" "$token"
[ "$(json "${reply#* }" "['total']")" -gt 0 ] || fail "no users after Connect"
ok "the laptop logs in and onboards over HTTPS alone: customer, site, PBX, Connect → $code"

wait_for 20 browsed_with acct "$account_id" || fail "TXT acct missing: $(browse)"
[ "$(txt_value "$entry" name)" = "ACME AG" ] || fail "TXT name after onboarding: $entry"
ok "TXT follows: acct=$account_id, name=ACME AG"

# Another partner's customer beyond the router, claimed from its own subnet.
certificate "$REM" 10.231.2.20
remote_spki=$seen_spki
remote_claim='{"email": "other@partner.example", "password": "another horse battery staple"}'
reply=$(api "$REM" POST /api/v1/claim "$remote_claim" "" 10.231.2.20 "$remote_spki")
[ "${reply%% *}" = 201 ] || fail "claim of the remote gateway from its own subnet: $reply"
reply=$(api "$REM" POST /api/v1/login "$remote_claim" "" 10.231.2.20 "$remote_spki")
[ "${reply%% *}" = 200 ] || fail "login to the remote gateway: $reply"
remote_token=$(json "${reply#* }" "['token']")
reply=$(api "$REM" PATCH /api/v1/customer '{"name": "Remote AG",
  "address": {"street": "Seestrasse 5", "city": "Luzern", "postalCode": "6003", "country": "CH"},
  "businessType": "manufacturing", "language": "de",
  "supportContacts": [{"role": "maintainer", "name": "Other Tech", "email": "other@partner.example"},
                      {"role": "onsiteAdmin", "name": "Rita Remote", "email": "rita@remote.example"}]}' \
    "$remote_token" 10.231.2.20 "$remote_spki")
[ "${reply%% *}" = 200 ] || fail "the remote gateway's customer: $reply"
remote_acct=$(json "${reply#* }" "['accountId']")
ok "another partner claims the remote gateway from its own subnet: acct=$remote_acct"

# --- avahi-daemon restarts -------------------------------------------------------------------

stop_avahi "$GW" "$gw_avahi"
wait_for 20 grep -q "lost avahi-daemon" "$work/uplinkd.log" || fail "uplinkd did not notice"
start_avahi gw "$GW" gw0
wait_for 30 browsed_with acct "$account_id" || fail "not published again: $(browse)"
ok "uplinkd publishes again after avahi-daemon restarts"

reply=$(api "$LAP" GET /api/v1/gateway)
[ "${reply%% *}" = 200 ] || fail "uplinkd stopped answering"

# --- a new certificate -----------------------------------------------------------------------

# Sign-ins the gateway recorded: the "login" and "login-failed" entries of its audit log.
count_logins () {
    DBUS_SESSION_BUS_ADDRESS="unix:path=$work/bus-gw" gdbus call --session \
        --dest io.github.uplink.Gateway1 --object-path /io/github/uplink/Gateway1 \
        --method io.github.uplink.Gateway1.GetAuditLog "{'limit': <@u 1000>}" \
        | { grep -o "'action': <'login[a-z-]*'>" || true; } | wc -l
}

if [ -n "$DASHBOARD" ]; then
    answer "acct=$account_id remote_acct=$remote_acct"

    # The gateway was reset: a new certificate at the same address, the same accounts.
    expect renew-certificate
    stop_uplinkd "$gw_uplinkd"
    rm -rf "$work/gw-state/tls"
    start_uplinkd gw "$GW" uplinkd-renewed "Uplink site"
    gw_uplinkd=$uplinkd_pid
    logins=$(count_logins)
    certificate "$LAP" "$address"
    [ "$seen_fp" != "$fp" ] || fail "uplinkd kept its certificate without $work/gw-state/tls"
    answer "new_fp=$seen_fp"
    expect check-no-login
    [ "$(count_logins)" -eq "$logins" ] \
        || fail "the dashboard signed in to a gateway whose certificate changed"
    answer
    ok "after a new certificate the dashboard warns and sends no credentials until trusted"

    expect stop-gateway
fi

stop_uplinkd "$gw_uplinkd"
stop_uplinkd "$remote_uplinkd"
ok "uplinkd stops cleanly"

if [ -n "$DASHBOARD" ]; then
    answer
    # The dashboard's last case, then its end, which closes its fd 3.
    rc=0
    IFS= read -r -t 120 line <&"$dash_out" || rc=$?
    [ "$rc" -ne 0 ] || fail "the dashboard asked “$line” after the last step"
    [ "$rc" -le 128 ] || fail "the dashboard did not finish within 120 s (see dashboard.log)"
    status=0
    wait "$dash_pid" || status=$?
    grep -E '^(not )?ok ' "$work/dashboard.log" | sed 's/^/# dashboard: /' || true
    [ "$status" -eq 0 ] || fail "the dashboard's cases failed (status $status, see dashboard.log)"
    ok "the dashboard finds, pins, claims and loses the gateway as the network changes"
fi
echo "1..$step"
