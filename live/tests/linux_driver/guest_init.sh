#!/bin/sh
# PID 1 of the test guest (busybox initramfs). Loads the NIC driver and Linux's aoe driver, finds
# the target the host serves, and reports what it saw on the serial console as marker lines:
#   AOEH-RESULT key=value     facts for the host to check
#   AOEH-ERROR message        the guest gave up (the host fails the test with the message)
#   AOEH-DONE                 everything ran; the guest powers off next
# Parameters arrive as environment variables from the kernel command line (the kernel hands
# unknown key=value arguments to init): aoeh_shelf, aoeh_slot, aoeh_write_lba, aoeh_mtu.
# The payload to write is /payload.bin; the modules to load, in order, are listed in /modules/order.
/bin/busybox mkdir -p /proc /sys /dev /bin
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
  echo "AOEH-ERROR $*"
  dmesg | tail -n 20 | sed 's/^/AOEH-DMESG /'
  poweroff -f
}

# Waits (up to $2 tenths of a second) until the shell condition $1 holds: the guest has no event
# source for "the kernel finished probing", so it polls the state it needs.
wait_for() {
  n=0
  while ! eval "$1"; do
    n=$((n + 1))
    [ "$n" -ge "$2" ] && return 1
    usleep 100000
  done
}

while read -r module; do
  insmod "/modules/$module" || fail "insmod $module failed"
done </modules/order.nic

wait_for '[ -e /sys/class/net/eth0 ]' 100 || fail "no eth0 after loading the NIC driver"
ip link set eth0 mtu "${aoeh_mtu:-1500}" || fail "cannot set eth0 mtu ${aoeh_mtu}"
ip link set eth0 up || fail "cannot bring eth0 up"
wait_for '[ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" = 1 ]' 100 || fail "eth0 has no carrier"
echo "AOEH-RESULT eth0_mac=$(cat /sys/class/net/eth0/address) eth0_mtu=$(cat /sys/class/net/eth0/mtu)"

while read -r module; do
  insmod "/modules/$module" || fail "insmod $module failed"
done </modules/order.aoe

name="e${aoeh_shelf}.${aoeh_slot}"
sysdir="/sys/block/etherd!${name}"
dev="/dev/etherd/${name}"
# The driver broadcasts Query Config on load; ask again every second in case that one went out
# before the link could carry it.
tries=0
while ! { [ -b "$dev" ] && [ "$(cat "$sysdir/size" 2>/dev/null || echo 0)" != 0 ]; }; do
  tries=$((tries + 1))
  [ "$tries" -gt 30 ] && fail "no $dev after 30 s of discovery"
  echo > /dev/etherd/discover
  wait_for "[ -b $dev ]" 10
done
echo "AOEH-RESULT discovered=$name size_sectors=$(cat "$sysdir/size")"
for f in "$sysdir"/payload "$sysdir"/mac "$sysdir"/netif "$sysdir"/fwver "$sysdir"/state; do
  [ -r "$f" ] && echo "AOEH-RESULT sysfs_$(basename "$f")=$(cat "$f" | tr ' ' ',')"
done

sha=$(sha256sum <"$dev") || fail "reading $dev failed"
echo "AOEH-RESULT read_sha256=${sha%% *}"

count=$(($(wc -c </payload.bin) / 512))
dd if=/payload.bin of="$dev" bs=512 seek="$aoeh_write_lba" count="$count" conv=notrunc,fsync 2>/dev/null \
  || fail "writing $count sectors at $aoeh_write_lba failed"
echo 3 >/proc/sys/vm/drop_caches
back=$(dd if="$dev" bs=512 skip="$aoeh_write_lba" count="$count" 2>/dev/null | sha256sum)
echo "AOEH-RESULT wrote_sectors=$count readback_sha256=${back%% *}"
dmesg | grep 'aoe:' | sed 's/^/AOEH-DMESG /'
echo "AOEH-DONE"
poweroff -f
