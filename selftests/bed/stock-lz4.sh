#!/bin/bash
# Re-pack Debian's stock kernel image with an LZ4 payload, for the Bochs bed.
#
# Usage: selftests/bed/stock-lz4.sh [CACHE_DIR]
#   CACHE_DIR defaults to ${VIREO_CACHE:-$HOME/.cache/vireo}.
#
# Bochs spends ~60 s of every boot emulating the XZ decompression of
# /boot/vmlinuz-<ver>. This script produces
#   CACHE_DIR/stock-lz4-<ver>-<hash of inputs>/bzImage
# whose decompressed payload is byte-for-byte the one inside Debian's image
# (Debian's stripped vmlinux followed by its relocation table), recompressed
# with LZ4 and wrapped in a boot stub (setup, compressed/head_64, decompressor,
# EFI stub) built from linux-source-6.1 with Debian's /boot/config-<ver>
# changed only to CONFIG_KERNEL_LZ4=y. The kernel that runs is Debian's
# unmodified kernel (same /proc/version, same module ABI); only the
# self-extracting wrapper differs. The result is not Secure Boot signed.
#
# How: Kbuild builds the stub from `vmlinux`, which Debian does not ship. The
# XZ payload holds vmlinux.bin (= objcopy -R .comment -S vmlinux: an ELF with
# section headers but no symbols) + vmlinux.relocs. We give Kbuild
#   - BUILD/vmlinux = that ELF plus the four symbols the stub reads through
#     voffset.h (_text, __start_rodata, __bss_start, _end), added as section
#     symbols at the places arch/x86/kernel/vmlinux.lds.S puts them (Debian's
#     /boot/System.map is a placeholder). `objcopy -R .comment -S` of it gives
#     the original vmlinux.bin back byte for byte (checked);
#   - CMD_RELOCS = a stand-in for arch/x86/tools/relocs that prints the
#     original relocation table (it cannot be recomputed: relocations were
#     stripped);
#   - `make -o vmlinux bzImage`, so that make never tries to relink vmlinux,
# and let arch/x86/boot{,/compressed}/Makefile do everything else with their
# own commands (voffset.h, vmlinux.bin, lz4 + size_append, mkpiggy, ld,
# zoffset.h, setup.bin, tools/build). The result is then checked: LZ4 payload
# decompresses to exactly Debian's payload, and the setup header's version
# string is Debian's.
#
# Caching: a finished result (stamp file) is reused; anything unfinished is
# rebuilt from scratch. Progress goes to stderr, make output to OUT/build.log.
# On success prints exactly one line on stdout: BZIMAGE=<path>. On failure
# exits nonzero with a message (the bed then falls back to the XZ image).
#
# Environment: VIREO_STOCK_KVER=<ver> picks a kernel other than the one
# linux-image-amd64 depends on; VIREO_JOBS (default 2) is make's -j.
set -euo pipefail
# shellcheck source=linux-source.sh
. "$(dirname "${BASH_SOURCE[0]}")/linux-source.sh"

SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
CACHE=${1:-${VIREO_CACHE:-$HOME/.cache/vireo}}
JOBS=${VIREO_JOBS:-2}

say() { echo "stock-lz4: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

for tool in make gcc xz lz4 objcopy readelf nm od dd cmp sha256sum flock dpkg-query tar; do
	command -v "$tool" >/dev/null || die "missing tool: $tool"
done

# ---------------------------------------------------------------- inputs
if [[ -n ${VIREO_STOCK_KVER:-} ]]; then
	KVER=$VIREO_STOCK_KVER
else
	# linux-image-amd64 depends on linux-image-<ver> (= <debian version>).
	KVER=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
		tr ',' '\n' | sed -n 's/^ *linux-image-\([^ ]*\) *(.*/\1/p' | head -n1) || true
	if [[ -z $KVER ]]; then
		# shellcheck disable=SC2012
		KVER=$(ls /boot/vmlinuz-6.1.* 2>/dev/null | sed 's|^/boot/vmlinuz-||' | sort -V | tail -n1)
	fi
fi
[[ -n $KVER ]] || die "no Debian 6.1 kernel found (apt-get install linux-image-amd64)"
XZIMAGE=/boot/vmlinuz-$KVER
DEBCONFIG=/boot/config-$KVER
[[ -r $XZIMAGE ]] || die "cannot read $XZIMAGE"
[[ -r $DEBCONFIG ]] || die "cannot read $DEBCONFIG"
[[ $KVER == 6.1.* ]] || die "$KVER is not a 6.1 kernel; the stub comes from linux-source-6.1"
SRCVER=$(dpkg-query -W -f='${Version}' linux-source-6.1) || die "linux-source-6.1 is not installed"
IMGVER=$(dpkg-query -W -f='${Version}' "linux-image-$KVER" 2>/dev/null || echo unknown)
[[ $IMGVER == "$SRCVER" ]] ||
	say "warning: linux-image-$KVER is $IMGVER but linux-source-6.1 is $SRCVER (stub from the latter)"

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

# The inputs: this script, the XZ image, the config, the source package.
HASH=$( {
	sha256sum <"$SELF"
	sha256sum <"$XZIMAGE"
	sha256sum <"$DEBCONFIG"
	echo "linux-source-6.1 $SRCVER"
} | sha256sum | cut -c1-12)
OUT=$CACHE/stock-lz4-$KVER-$HASH
RESULT=$OUT/bzImage
STAMP=$OUT/.vireo-build-ok

# One build per output directory at a time.
exec 9>"$OUT.lock"
flock 9

if [[ -f $STAMP && -f $RESULT ]]; then
	say "reusing $RESULT"
	echo "BZIMAGE=$RESULT"
	exit 0
fi

SECONDS=0
say "re-packing $XZIMAGE with LZ4 into $OUT"
rm -rf "$OUT"
BUILD=$OUT/build      # Kbuild output tree (O=)
WORK=$OUT/work        # payload pieces
LOG=$OUT/build.log
mkdir -p "$BUILD" "$WORK"
: >"$LOG"

# ------------------------------------------------- source tree (read only)
# Shared with debug-kernel.sh: extracted once, then only read (builds are O=).
SRC=$(linux_source "$CACHE") || die "no linux-source-6.1 tree"
[[ ! -e $SRC/.config ]] || die "$SRC is not a clean source tree (has .config)"

# ------------------------------------------------ the XZ image's payload
# Little-endian unsigned integer of $3 bytes at offset $2 of file $1.
le() { od -An -t "u$3" -j "$2" -N "$3" "$1" | tr -d ' \n'; }
# $3 bytes at offset $2 of file $1 (dd, not tail|head: no SIGPIPE under pipefail).
bytes() { dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count="$3" bs=1M status=none; }
# NUL-terminated string (< 256 bytes) at offset $2 of file $1.
cstr() { bytes "$1" "$2" 256 | tr '\0' '\n' | sed -n 1p; }

[[ $(bytes "$XZIMAGE" $((0x202)) 4) == HdrS ]] || die "$XZIMAGE: no bzImage header"
proto=$(le "$XZIMAGE" $((0x206)) 2)
((proto >= 0x208)) || die "$XZIMAGE: boot protocol $proto too old (no payload fields)"
setup_sects=$(le "$XZIMAGE" $((0x1f1)) 1)
((setup_sects)) || setup_sects=4
payload_offset=$(le "$XZIMAGE" $((0x248)) 4)
payload_length=$(le "$XZIMAGE" $((0x24c)) 4)
version_ptr=$(le "$XZIMAGE" $((0x20e)) 2)
KVERSTRING=$(cstr "$XZIMAGE" $((version_ptr + 0x200)))
start=$(((setup_sects + 1) * 512 + payload_offset))
say "setup_sects=$setup_sects payload at $start, $payload_length bytes"
say "version: $KVERSTRING"
[[ $KVERSTRING == "$KVER "* ]] || die "$XZIMAGE says it is '$KVERSTRING', not $KVER"

bytes "$XZIMAGE" "$start" "$payload_length" >"$WORK/payload"
[[ $(bytes "$WORK/payload" 0 6 | od -An -tx1 | tr -d ' \n') == fd377a585a00 ]] ||
	die "the payload of $XZIMAGE is not XZ data (CONFIG_KERNEL_XZ expected)"
orig_size=$(le "$WORK/payload" $((payload_length - 4)) 4)
say "decompressing the XZ payload ($orig_size bytes)"
bytes "$WORK/payload" 0 $((payload_length - 4)) | xz -dc >"$WORK/vmlinux.bin.all" ||
	die "xz could not decompress the payload of $XZIMAGE"
[[ $(stat -c %s "$WORK/vmlinux.bin.all") == "$orig_size" ]] ||
	die "decompressed payload size differs from the size appended to it"

# vmlinux.bin.all = vmlinux.bin (ELF; objcopy puts the section header table
# last) + vmlinux.relocs (u32 words, starting with a 0 terminator).
ALL=$WORK/vmlinux.bin.all
[[ $(bytes "$ALL" 0 4 | od -An -tx1 | tr -d ' \n') == 7f454c46 ]] || die "payload is not an ELF file"
e_shoff=$(le "$ALL" $((0x28)) 8)
e_shentsize=$(le "$ALL" $((0x3a)) 2)
e_shnum=$(le "$ALL" $((0x3c)) 2)
elf_size=$((e_shoff + e_shnum * e_shentsize))
relocs_size=$((orig_size - elf_size))
((relocs_size > 0 && relocs_size % 4 == 0)) || die "bad relocation table size $relocs_size"
bytes "$ALL" 0 "$elf_size" >"$WORK/vmlinux.bin"
bytes "$ALL" "$elf_size" "$relocs_size" >"$WORK/vmlinux.relocs"
[[ $(le "$WORK/vmlinux.relocs" 0 4) == 0 ]] || die "relocation table does not start with a terminator"
say "payload = ELF $elf_size bytes + relocation table $relocs_size bytes"

# Section address and size (hex, no 0x) from the section headers.
sect() {
	readelf -SW "$WORK/vmlinux.bin" | sed 's/^ *\[ *[0-9]*\] //' |
		awk -v n="$1" '$1 == n { print $3, $5; exit }'
}
# No section's data may lie after the section header table (else the split is wrong).
while read -r type off size; do
	[[ $type == NOBITS ]] && continue
	((0x$off + 0x$size <= e_shoff)) || die "section data after the section header table"
done < <(readelf -SW "$WORK/vmlinux.bin" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk 'NR > 1 { print $2, $4, $5 }')

read -r text_addr _ < <(sect .text) || true
read -r rodata_addr _ < <(sect .rodata) || true
read -r bss_addr _ < <(sect .bss) || true
read -r brk_addr brk_size < <(sect .brk) || true
[[ -n ${text_addr:-} && -n ${rodata_addr:-} && -n ${bss_addr:-} && -n ${brk_addr:-} ]] ||
	die "payload ELF lacks one of .text .rodata .bss .brk"
e_entry=$(le "$ALL" $((0x18)) 8)
# _text is __START_KERNEL_map + the physical entry (LOAD_PHYSICAL_ADDR).
(((0x$text_addr - 0xffffffff80000000) == e_entry)) ||
	die ".text at 0x$text_addr does not match the entry point $e_entry"
# vmlinux.lds.S: _end = ALIGN(end of .brk, PAGE_SIZE).
end_off=$((((0x$brk_addr + 0x$brk_size + 4095) & ~4095) - 0x$brk_addr))

# ------------------------------------------------------- config, prepare
set_debian_build_env() {
	# Parse "REL (USER@HOST) #VER [SMP] [PREEMPT...] TIMESTAMP" so that the
	# setup header's version string is Debian's (see scripts/mkcompile_h,
	# init/Makefile). Only cosmetic (bootloaders, `file`), checked below.
	local re='^([^ ]+) \(([^@]+)@([^)]+)\) #([^ ]+) (SMP )?(PREEMPT_RT |PREEMPT_DYNAMIC |PREEMPT )?(.*)$'
	[[ $KVERSTRING =~ $re ]] || die "cannot parse the version string '$KVERSTRING'"
	export KBUILD_BUILD_USER=${BASH_REMATCH[2]}
	export KBUILD_BUILD_HOST=${BASH_REMATCH[3]}
	export KBUILD_BUILD_VERSION=${BASH_REMATCH[4]}
	export KBUILD_BUILD_TIMESTAMP=${BASH_REMATCH[7]}
}
set_debian_build_env

# The compiler Debian used (CONFIG_CC_VERSION_TEXT="gcc-12 (Debian ...").
KCC=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' "$DEBCONFIG")
command -v "${KCC:-none}" >/dev/null || die "compiler '${KCC:-?}' of $DEBCONFIG not found (apt-get install ${KCC:-gcc})"

mk() {
	# Kbuild in the output tree; -o vmlinux: never try to (re)link vmlinux.
	make -C "$BUILD" -f "$SRC/Makefile" CC="$KCC" KERNELRELEASE="$KVER" "$@" >>"$LOG" 2>&1 ||
		{ tail -n 30 "$LOG" >&2; die "make $* failed (see $LOG)"; }
}

say "configuring: $DEBCONFIG with CONFIG_KERNEL_LZ4=y"
cp "$DEBCONFIG" "$BUILD/.config"
"$SRC/scripts/config" --file "$BUILD/.config" \
	-d KERNEL_GZIP -d KERNEL_BZIP2 -d KERNEL_LZMA -d KERNEL_XZ -d KERNEL_LZO -d KERNEL_ZSTD \
	-e KERNEL_LZ4
mk olddefconfig
# Every setting of Debian's config must have survived, except the compression.
opts() { grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' "$1" | sort; }
lost=$(comm -23 <(opts "$DEBCONFIG") <(opts "$BUILD/.config") |
	grep -vxE 'CONFIG_KERNEL_XZ=y|# CONFIG_KERNEL_LZ4 is not set' || true)
[[ -z $lost ]] || die "olddefconfig changed Debian's config: $(echo "$lost" | tr '\n' ' ')"
grep -qx 'CONFIG_KERNEL_LZ4=y' "$BUILD/.config" || die "CONFIG_KERNEL_LZ4=y did not stick"
added=$(comm -13 <(opts "$DEBCONFIG") <(opts "$BUILD/.config") | grep -vxE 'CONFIG_KERNEL_LZ4=y|# CONFIG_KERNEL_XZ is not set' || true)
[[ -z $added ]] || say "config lines Debian's file leaves out (unused by the stub): $(echo "$added" | tr '\n' ' ')"
cp "$BUILD/.config" "$OUT/config"

say "make prepare (-j$JOBS; about a minute)"
mk -j"$JOBS" prepare

# Generated files the stub needs that normally come out of the vmlinux build.
helpers=(init/version-timestamp.o)                  # include/generated/utsversion.h
if grep -qx 'CONFIG_X86_FEATURE_NAMES=y' "$BUILD/.config"; then
	helpers+=(arch/x86/kernel/cpu/capflags.o)   # capflags.c for boot/mkcpustr
fi
say "building ${helpers[*]}"
mk -j1 "${helpers[@]}"
if grep -qx 'CONFIG_AMD_MEM_ENCRYPT=y' "$BUILD/.config"; then
	# compressed/sev.o includes arch/x86/lib/inat-tables.c. `make
	# arch/x86/lib/inat.o` compiles before generating it (6.1 single-target
	# build), so run arch/x86/lib/Makefile's cmd_inat_tables ourselves.
	say "generating arch/x86/lib/inat-tables.c"
	mkdir -p "$BUILD/arch/x86/lib"
	awk -f "$SRC/arch/x86/tools/gen-insn-attr-x86.awk" "$SRC/arch/x86/lib/x86-opcode-map.txt" \
		>"$BUILD/arch/x86/lib/inat-tables.c" || die "gen-insn-attr-x86.awk failed"
fi
if grep -qx 'CONFIG_EFI_STUB=y' "$BUILD/.config"; then
	say "building the EFI stub library"
	mk -j"$JOBS" drivers/firmware/efi/libstub/lib.a
fi

# ------------------------------------------------------- vmlinux stand-in
say "reconstructing vmlinux (payload ELF + voffset.h symbols)"
objcopy --add-symbol _text=.text:0,global \
	--add-symbol __start_rodata=.rodata:0,global \
	--add-symbol __bss_start=.bss:0,global \
	--add-symbol "_end=.brk:$end_off,global" \
	"$WORK/vmlinux.bin" "$BUILD/vmlinux"
# What compressed/Makefile will do with it must give the payload back.
objcopy -R .comment -S "$BUILD/vmlinux" "$WORK/vmlinux.bin.check"
cmp -s "$WORK/vmlinux.bin.check" "$WORK/vmlinux.bin" ||
	die "objcopy -R .comment -S of the reconstructed vmlinux differs from Debian's vmlinux.bin"
rm -f "$WORK/vmlinux.bin.check"
nm "$BUILD/vmlinux" | sed 's/^/  /' >&2

cat >"$BUILD/vireo-relocs" <<EOF
#!/bin/sh
# Stand-in for arch/x86/tools/relocs (written by selftests/bed/stock-lz4.sh):
# Debian's original relocation table, taken from its XZ payload.
[ "\$1" = --abs-relocs ] && exit 0
exec cat '$WORK/vmlinux.relocs'
EOF
chmod +x "$BUILD/vireo-relocs"

say "building the LZ4 bzImage with Kbuild (make -o vmlinux bzImage)"
mk -j"$JOBS" -o vmlinux CMD_RELOCS="$BUILD/vireo-relocs" bzImage
NEW=$BUILD/arch/x86/boot/bzImage
[[ -f $NEW ]] || die "Kbuild produced no $NEW"
sed 's/^/  /' "$BUILD/arch/x86/boot/voffset.h" >&2

# ------------------------------------------------------------- verify
say "verifying"
[[ $(bytes "$NEW" $((0x202)) 4) == HdrS ]] || die "$NEW: no bzImage header"
n_setup=$(le "$NEW" $((0x1f1)) 1)
n_off=$(le "$NEW" $((0x248)) 4)
n_len=$(le "$NEW" $((0x24c)) 4)
n_start=$(((n_setup + 1) * 512 + n_off))
bytes "$NEW" "$n_start" "$n_len" >"$WORK/payload.lz4"
[[ $(bytes "$WORK/payload.lz4" 0 4 | od -An -tx1 | tr -d ' \n') == 02214c18 ]] ||
	die "the new payload is not LZ4 legacy-format data"
[[ $(le "$WORK/payload.lz4" $((n_len - 4)) 4) == "$orig_size" ]] || die "the new payload's appended size is wrong"
bytes "$WORK/payload.lz4" 0 $((n_len - 4)) | lz4 -dc >"$WORK/payload.check" || die "lz4 cannot decompress the new payload"
cmp -s "$WORK/payload.check" "$ALL" || die "the new payload does not decompress to Debian's vmlinux.bin + relocs"
n_version=$(cstr "$NEW" $(($(le "$NEW" $((0x20e)) 2) + 0x200)))
[[ $n_version == "$KVERSTRING" ]] || say "warning: setup header version '$n_version' differs from Debian's"
init_size=$(le "$NEW" $((0x260)) 4)
say "OK: payload identical ($orig_size bytes), LZ4 $n_len bytes (XZ $payload_length), init_size $init_size"

cp "$NEW" "$RESULT.tmp"
mv "$RESULT.tmp" "$RESULT"
# Keep the result, config and log; the rest (~200 MB) is rebuilt if needed.
rm -rf "$BUILD" "$WORK"
touch "$STAMP"
say "done in ${SECONDS}s"
echo "BZIMAGE=$RESULT"
