# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# The management plane, the netlink family "vireo", on Debian's stock kernel
# in Bochs with VMX (2 CPUs): every operation's success and error paths, with
# unprivileged callers and network namespaces (nl_ops_test); pause, resume,
# stats, destroy and SIGKILL on running guests (nl_guest_test); then vireoctl
# against a VM that tiny_vmm runs in another process, while vireoctl monitor
# records the events.
. /vireo/guest/lib.sh

# wait_for FILE REGEX [TENTHS]: until FILE has a line matching REGEX.
wait_for() {
	i=0
	while ! grep -Eq "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -ge "${3:-100}" ] && return 1
		sleep 0.1
	done
}

tap_plan 17
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads"

nl_ops_test
nl_guest_test

log_step "vireoctl against a VM run by tiny_vmm, vireoctl monitor recording"
vireoctl monitor --count 6 > /tmp/mon.out 2> /tmp/mon.err &
mon=$!
wait_for /tmp/mon.err "monitoring events"
tap_ok $? "vireoctl monitor subscribes to the events"
tiny_vmm web out > /tmp/vmm.out 2>&1 &
vmm=$!
wait_for /tmp/vmm.out "running"
id=$(sed -n 's/^tiny_vmm: VM \([0-9]*\) web running$/\1/p' /tmp/vmm.out)
sleep 1

vireoctl list > /tmp/list.out
grep -Eq "^$id +web +running +1 +64K " /tmp/list.out
tap_ok $? "vireoctl list: VM $id web, running, 1 vCPU, 64K"
sed 's/^/# /' /tmp/list.out
vireoctl list --json | grep -q "^\[{\"id\":$id,\"name\":\"web\",\"state\":\"running\""
tap_ok $? "vireoctl list --json"

vireoctl pause web > /dev/null && vireoctl show web > /tmp/show.out &&
	grep -q "^state  *paused$" /tmp/show.out && grep -q "^reason  *admin$" /tmp/show.out
tap_ok $? "vireoctl pause web; vireoctl show web says paused by admin"
vireoctl show "$id" --json | grep -q "\"id\":$id,\"name\":\"web\",\"state\":\"paused\""
tap_ok $? "vireoctl show ID --json"
vireoctl resume "$id" > /dev/null && vireoctl show web | grep -q "^state  *running$"
tap_ok $? "vireoctl resume ID: running again"

vireoctl stats web > /tmp/stats.out &&
	grep -Eq "^entries +[1-9][0-9]* +[1-9][0-9]*$" /tmp/stats.out &&
	grep -q "^COUNTER  *TOTAL  *VCPU0$" /tmp/stats.out
tap_ok $? "vireoctl stats web: a total and a vCPU 0 column, entries counted"
sed 's/^/# /' /tmp/stats.out
vireoctl stats web --vcpu 0 --json | grep -q '^{"vcpu":0,"entries":[1-9]'
tap_ok $? "vireoctl stats --vcpu 0 --json"

as_user 1000 vireoctl pause web 2> /tmp/err.out
[ $? = 1 ] && grep -q "^vireoctl: pause web: Operation not permitted (needs CAP_NET_ADMIN)$" /tmp/err.out
tap_ok $? "vireoctl pause as uid 1000: exit 1, Operation not permitted"
as_user 1000 vireoctl list | grep -q web
[ $? = 1 ]
tap_ok $? "vireoctl list as uid 1000 does not show root's VM"
vireoctl show nosuch 2> /tmp/err.out
[ $? = 1 ] && grep -q "^vireoctl: VM nosuch: No such file or directory: no such VM$" /tmp/err.out
tap_ok $? "vireoctl show of an unknown VM: exit 1, says why"
unshare -n vireoctl list > /tmp/ns.out && [ "$(wc -l < /tmp/ns.out)" = 1 ]
tap_ok $? "vireoctl list in a new network namespace: no VM"

vireoctl destroy web > /dev/null
wait $vmm
[ $? = 0 ] && grep -q "destroyed after [1-9][0-9]* steps" /tmp/vmm.out
tap_ok $? "vireoctl destroy web: tiny_vmm's VIREO_RUN returns DESTROYED, it exits"

wait $mon
[ $? = 0 ] && sed 's/ uid=0$//' /tmp/mon.out > /tmp/mon.short && cat > /tmp/mon.want <<EOF
vm-created id=$id name=web state=created reason=none
vm-state-changed id=$id name=web state=running reason=none
vm-state-changed id=$id name=web state=paused reason=admin
vm-state-changed id=$id name=web state=running reason=admin
vm-state-changed id=$id name=web state=destroyed reason=admin
vm-destroyed id=$id name=web state=destroyed reason=admin
EOF
cmp -s /tmp/mon.short /tmp/mon.want
tap_ok $? "vireoctl monitor saw the six events, in order"
sed 's/^/# /' /tmp/mon.out

rmmod vireo
tap_ok $? "vireo.ko unloads"
[ ! -e /sys/module/vireo ]
tap_ok $? "vireo is not loaded at the end"
