# Sourced by the bench scripts: loopback port helpers.
# free_port prints a port that was free a moment ago; wait_port N waits (up to 60 s) until something listens on N.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done
  echo "port $1 did not open" >&2; return 1
}
