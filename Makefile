# SPDX-License-Identifier: GPL-2.0-only
#
# vireo: build, install and test.
#
#   make demo         deps, build, then Debian's stock kernel booted under
#                     vireo inside Bochs, its console and stats live
#   make              vireo.ko, vireoctl and the selftests
#   make check        everything CI runs: deps, build, static checks, native
#                     tests and the emulator test bed; ends "N passed, N failed"
#   make bench        every benchmark in the emulator: bench-micro, then
#                     bench-macro; tables, and JSON in $(OUT)/bench/bench.json
#                     and $(OUT)/macro/macro.json
#   make bench-micro  vireo vs KVM: exit costs
#   make bench-macro  FV vs PV: the same workloads in guests of vireoctl run
#                     in the emulator: tables, JSON in $(OUT)/macro/macro.json
#   make deps         install the Debian packages the project needs
#   make install      install vireo.ko (modules_install) and vireoctl
#   make guest-kernels  the plain and the PV guest kernels (pvguest/), cached
#
# KDIR is the kernel build tree: /lib/modules/$(uname -r)/build when it
# exists (a workstation with its own headers), else the newest installed
# Debian linux-headers-*-amd64.

KVER ?= $(shell uname -r)
KDIR ?= $(or $(wildcard /lib/modules/$(KVER)/build),$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
OUT ?= $(CURDIR)/out
export VIREO_CACHE ?= $(HOME)/.cache/vireo

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# Every Debian 12 package the build, the checks and the test bed use.
DEPS := build-essential bc bison flex libelf-dev libssl-dev cpio kmod \
	xz-utils lz4 dwarves python3 python3-yaml pkg-config sparse \
	linux-headers-amd64 linux-image-amd64 linux-source-6.1 \
	libnl-3-dev libnl-genl-3-dev \
	bochs bochsbios vgabios qemu-system-x86 \
	isolinux syslinux-common xorriso busybox-static acpica-tools e2fsprogs \
	git python3-ply python3-git

all: module userctl selftests

module:
	@test -n "$(KDIR)" || { echo "no kernel build tree: install linux-headers-$(KVER) (or run make deps)"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userctl:
	$(MAKE) -C userctl

selftests:
	$(MAKE) -C selftests

deps:
	@missing=$$(for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else \
		echo "all $(words $(DEPS)) Debian packages present"; \
	fi

# The guest kernels vireo's tests boot: the small unmodified one and the
# same with the PV series applied; each prints BZIMAGE=<path>.
guest-kernels:
	pvguest/build-guest.sh --plain
	pvguest/build-guest.sh --pv

check: deps all
	selftests/check $(OUT)

demo: deps all
	selftests/bed/demo --out $(OUT)/demo

bench: bench-micro bench-macro

bench-micro: deps all
	selftests/bed/bench --out $(OUT)/bench

bench-macro: deps all
	selftests/bed/macro --out $(OUT)/macro

install: module userctl
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	$(MAKE) -C userctl install
	depmod -a $(KVER) || true

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C userctl clean
	$(MAKE) -C selftests clean
	rm -rf $(OUT)

.PHONY: all module userctl selftests deps check demo bench bench-micro bench-macro install clean guest-kernels
