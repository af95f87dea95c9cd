#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for accel-dse's tests and for trying `dse slurm`.
#
#   scripts/slurm-local.sh start    install (Debian packages) if missing, configure, start, wait for idle
#   scripts/slurm-local.sh stop     stop the daemons this script started (by their pid files)
#   scripts/slurm-local.sh status   say what runs, and how to point Slurm's commands at it
#
# Needs root (the daemons run as root, munged as the munge user) and a Debian/Ubuntu machine.
# No systemd is needed: the daemons are started directly. Everything the cluster writes
# (slurm.conf, state, spool, logs, pid files) lives in $DSE_SLURM_DIR (default
# /tmp/accel-dse-slurm). Slurm's commands find the configuration through SLURM_CONF; when
# /etc/slurm/slurm.conf does not exist, `start` links it to ours so plain `sbatch` works too.
#
# Exit codes: 0 done, 1 failed, 3 Slurm cannot be installed here (not root, no apt-get, or
# apt-get failed): the integration test skips on 3.
set -euo pipefail

STATE_DIR="${DSE_SLURM_DIR:-/tmp/accel-dse-slurm}"
CONF="$STATE_DIR/slurm.conf"
HOST="$(hostname -s)"
# Files recording what this script started, so `stop` never touches anyone else's daemons.
OWN_MUNGE="$STATE_DIR/started-munged"
OWN_LINK="$STATE_DIR/created-etc-link"
MUNGE_PID=/run/munge/munged.pid

say() { printf 'slurm-local: %s\n' "$*"; }
die() { printf 'slurm-local: error: %s\n' "$*" >&2; exit "${2:-1}"; }

# True when the pid in file $1 is a live process whose command name is $2.
alive() {
  local pid
  [[ -s "$1" ]] || return 1
  pid="$(tr -dc '0-9' <"$1")"
  [[ -n "$pid" && -r "/proc/$pid/comm" ]] || return 1
  [[ "$(cat "/proc/$pid/comm")" == "$2" ]] || return 1
  # A killed daemon can linger as a zombie for a few seconds; it is not running.
  ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}

munge_works() { command -v munge >/dev/null && munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

node_state() { SLURM_CONF="$CONF" sinfo -h -n "$HOST" -o %T 2>/dev/null | head -n1 || true; }

install_packages() {
  local missing=()
  for cmd in slurmctld slurmd sbatch munged; do command -v "$cmd" >/dev/null || missing+=("$cmd"); done
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) -eq 0 ]] || die "not root: cannot install Slurm (missing: ${missing[*]})" 3
  command -v apt-get >/dev/null || die "no apt-get: install slurmctld slurmd slurm-client munge by hand" 3
  local pkgs=(slurmctld slurmd slurm-client munge)
  say "installing ${pkgs[*]} (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  # Try without refreshing the package lists first: it is much faster when they are current.
  if ! apt-get install -y -q --no-install-recommends "${pkgs[@]}" >"$STATE_DIR/apt.log" 2>&1; then
    say "apt-get update (package lists are missing or stale)"
    apt-get update -q >>"$STATE_DIR/apt.log" 2>&1 || die "apt-get update failed, see $STATE_DIR/apt.log" 3
    apt-get install -y -q --no-install-recommends "${pkgs[@]}" >>"$STATE_DIR/apt.log" 2>&1 \
      || die "apt-get install failed, see $STATE_DIR/apt.log" 3
  fi
  for cmd in slurmctld slurmd sbatch munged; do command -v "$cmd" >/dev/null || die "$cmd still missing after install" 3; done
}

write_conf() {
  local cpus mem_mib
  cpus="$(nproc)"
  # Declare a little less memory than the machine has: slurmd drains a node that reports
  # less than its RealMemory.
  mem_mib="$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)"
  mkdir -p "$STATE_DIR/state" "$STATE_DIR/spool" "$STATE_DIR/log"
  cat >"$CONF" <<EOF
# Written by accel-dse scripts/slurm-local.sh: a single-node cluster for tests.
ClusterName=accel-dse-local
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
# No cgroup plugins: containers often have a cgroup v1/v2 mix that they cannot handle.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
# Finished jobs leave scontrol after 4 s, and sbatch --wait polls every second instead of
# backing off to 32 s; schedule as soon as a job arrives.
MinJobAge=4
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
StateSaveLocation=$STATE_DIR/state
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$STATE_DIR/slurmctld.pid
SlurmdPidFile=$STATE_DIR/slurmd.pid
SlurmctldLogFile=$STATE_DIR/log/slurmctld.log
SlurmdLogFile=$STATE_DIR/log/slurmd.log
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mib State=UNKNOWN
# FORCE:4 lets up to 4 tasks share a CPU, so a 4-task array runs at once on 2 CPUs.
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOF
  say "wrote $CONF ($cpus CPUs, ${mem_mib} MiB)"
}

start_munge() {
  if munge_works; then
    say "munged already running"
    return
  fi
  [[ -s /etc/munge/munge.key ]] || {
    say "creating /etc/munge/munge.key"
    if command -v mungekey >/dev/null; then runuser -u munge -- mungekey --create; else
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
      chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
    fi
  }
  mkdir -p /run/munge && chown munge:munge /run/munge && chmod 0755 /run/munge
  say "starting munged"
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge_works && break; sleep 0.1; done
  munge_works || die "munged did not start (see /var/log/munge/munged.log)"
  touch "$OWN_MUNGE"
}

start() {
  mkdir -p "$STATE_DIR"
  if alive "$STATE_DIR/slurmctld.pid" slurmctld && alive "$STATE_DIR/slurmd.pid" slurmd && [[ "$(node_state)" =~ ^(idle|mixed|allocated) ]]; then
    say "already running (node $HOST is $(node_state)); export SLURM_CONF=$CONF"
    return
  fi
  [[ $(id -u) -eq 0 ]] || die "must run as root (the daemons run as root)" 3
  install_packages
  write_conf
  start_munge

  if [[ ! -e /etc/slurm/slurm.conf && ! -L /etc/slurm/slurm.conf ]]; then
    mkdir -p /etc/slurm && ln -s "$CONF" /etc/slurm/slurm.conf && touch "$OWN_LINK"
    say "linked /etc/slurm/slurm.conf -> $CONF"
  fi

  if alive "$STATE_DIR/slurmctld.pid" slurmctld; then say "slurmctld already running"; else
    say "starting slurmctld (clean state)"
    SLURM_CONF="$CONF" slurmctld -c -f "$CONF"
  fi
  if alive "$STATE_DIR/slurmd.pid" slurmd; then say "slurmd already running"; else
    say "starting slurmd"
    SLURM_CONF="$CONF" slurmd -f "$CONF"
  fi

  local state=""
  for _ in $(seq 150); do
    state="$(node_state)"
    [[ "$state" == idle* ]] && break
    sleep 0.2
  done
  [[ "$state" == idle* ]] || die "node $HOST is '${state:-unknown}', not idle after 30 s; see $STATE_DIR/log/"
  say "cluster up: node $HOST idle, partition debug; export SLURM_CONF=$CONF"
}

stop_pidfile() { # $1 pid file, $2 command name
  if ! alive "$1" "$2"; then say "$2 not running"; rm -f "$1"; return; fi
  local pid
  pid="$(tr -dc '0-9' <"$1")"
  say "stopping $2 (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do alive "$1" "$2" || break; sleep 0.1; done
  if alive "$1" "$2"; then say "$2 ignored SIGTERM, killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$1"
}

stop() {
  [[ -d "$STATE_DIR" ]] || { say "nothing to stop ($STATE_DIR does not exist)"; return; }
  # slurmd first, so the controller does not see its node vanish while jobs are recorded.
  stop_pidfile "$STATE_DIR/slurmd.pid" slurmd
  stop_pidfile "$STATE_DIR/slurmctld.pid" slurmctld
  if [[ -e "$OWN_MUNGE" ]]; then
    stop_pidfile "$MUNGE_PID" munged
    rm -f "$OWN_MUNGE"
  fi
  if [[ -e "$OWN_LINK" ]]; then
    [[ "$(readlink /etc/slurm/slurm.conf 2>/dev/null)" == "$CONF" ]] && rm -f /etc/slurm/slurm.conf && say "removed link /etc/slurm/slurm.conf"
    rm -f "$OWN_LINK"
  fi
}

status() {
  local any=1
  alive "$STATE_DIR/slurmctld.pid" slurmctld && { say "slurmctld running (pid $(cat "$STATE_DIR/slurmctld.pid"))"; any=0; } || say "slurmctld not running"
  alive "$STATE_DIR/slurmd.pid" slurmd && { say "slurmd running (pid $(cat "$STATE_DIR/slurmd.pid"))"; any=0; } || say "slurmd not running"
  munge_works && say "munge works" || say "munge not working"
  if ((any == 0)); then
    say "node $HOST: $(node_state)"
    say "export SLURM_CONF=$CONF"
    SLURM_CONF="$CONF" squeue 2>/dev/null || true
  fi
  # Exit 0 only when the cluster can take jobs, so scripts can test `status`.
  [[ "$(node_state)" =~ ^(idle|mixed|allocated) ]]
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status   (state in \$DSE_SLURM_DIR, default /tmp/accel-dse-slurm)" >&2; exit 2 ;;
esac
