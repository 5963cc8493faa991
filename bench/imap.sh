#!/usr/bin/env bash
# IMAP benchmark, side by side in one run: our server (Release, scratch data) and Dovecot (dovecot-imapd, own
# config on free loopback ports, installed here when absent), both over IMAPS with one user each.
# Prints "name value unit" lines per target and "ratio" lines ours/Dovecot.
# Usage: bench/imap.sh [--messages N] [--idle N]      (defaults 10000 and 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d /tmp/syncserver-bench-imap.XXXXXX)
chmod 0755 "$work"
ours_pid=""
cleanup() {
  status=$?
  [ "$status" -ne 0 ] && [ -f "$work/dovecot/dovecot.log" ] && tail -5 "$work/dovecot/dovecot.log" >&2
  [ -n "$ours_pid" ] && kill "$ours_pid" 2>/dev/null && wait "$ours_pid" 2>/dev/null || true
  if [ -f "$work/dovecot/dovecot.conf" ]; then
    doveadm -c "$work/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"   # thousands of IDLE connections: as many descriptors as allowed

. bench/ports.sh

# --- ours: Release build, a scratch data directory, one user. Passwords are hashed with fewer PBKDF2
# iterations (as in the tests): the IDLE figure opens thousands of sessions and Dovecot here checks PLAIN.
./syncserver --help >/dev/null
export SYNCSERVER__SECURITY__PASSWORDITERATIONS=1000
dotnet .build/SyncServer.Server.dll domain add example.test --data "$work/ours" >/dev/null
echo pass | dotnet .build/SyncServer.Server.dll user add bench@example.test --password-stdin --data "$work/ours" >/dev/null
ours_port=$(free_port)
for listener in HTTP HTTPS SMTP SUBMISSION SMTPS IMAP POP3 POP3S; do export "SYNCSERVER__LISTENERS__$listener=0"; done
SYNCSERVER__LISTENERS__IMAPS=$ours_port dotnet .build/SyncServer.Server.dll serve --data "$work/ours" >"$work/ours.log" 2>&1 &
ours_pid=$!

# --- Dovecot: IMAP only, maildir; IDLE sessions hibernate (5,000 one-process-each sessions would not fit).
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s dovecot-imapd >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq dovecot-imapd >/dev/null
fi
dovecot_port=$(free_port)
d="$work/dovecot"
mkdir -p "$d/mail" "$d/run" "$d/ssl"
chown mail:mail "$d/mail"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
  -keyout "$d/ssl/key.pem" -out "$d/ssl/cert.pem" >/dev/null 2>&1
echo "bench@example.test:{PLAIN}pass::::::" > "$d/users"
chgrp dovecot "$d/users"; chmod 0640 "$d/users"
cat > "$d/dovecot.conf" <<EOF
protocols = imap
listen = 127.0.0.1
base_dir = $d/run
state_dir = $d/run/state
instance_name = syncserver-bench
log_path = $d/dovecot.log
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
mail_uid = mail
mail_gid = mail
mail_location = maildir:$d/mail/%n
mail_max_userip_connections = 100000
namespace inbox {
  inbox = yes
  separator = /
}
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN $d/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$d/mail/%n
}
ssl = required
ssl_cert = <$d/ssl/cert.pem
ssl_key = <$d/ssl/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
# Limits for N idle IDLE sessions. One imap process serves one session, so an IDLEing session is handed to
# imap-hibernate after imap_hibernate_timeout (one process keeps them all) and its imap process is free again.
# imap-login (high-performance mode) proxies TLS: 2 descriptors per client. Every descriptor count stays below
# the ulimit -n raised above (20,000 here); anvil and auth get one connection per process.
default_client_limit = 20000
default_process_limit = 100
imap_hibernate_timeout = 1s
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $dovecot_port
    ssl = yes
  }
  service_count = 0
  process_min_avail = 2
  process_limit = 8
  client_limit = 2000
}
service imap {
  process_limit = 500
  # imap-hibernate (running as dovecot) hands a woken session back through imap-master.
  unix_listener imap-master {
    user = dovecot
  }
  extra_groups = dovecot
}
service imap-hibernate {
  unix_listener imap-hibernate {
    mode = 0660
    group = dovecot
  }
  process_limit = 1
  client_limit = 10000
}
service auth {
  client_limit = 20000
}
service anvil {
  client_limit = 20000
}
EOF
dovecot -c "$d/dovecot.conf"
dovecot_pid=$(tr -dc 0-9 < "$d/run/master.pid")

wait_port "$ours_port"
wait_port "$dovecot_port"
echo "# syncserver pid $ours_pid IMAPS $ours_port; dovecot $(dovecot --version | cut -d' ' -f1) pid $dovecot_pid IMAPS $dovecot_port" >&2
dotnet run -c Release --project bench/Imap -- \
  --target syncserver 127.0.0.1 "$ours_port" bench@example.test pass "$ours_pid" \
  --target dovecot 127.0.0.1 "$dovecot_port" bench@example.test pass "$dovecot_pid" "$@"
