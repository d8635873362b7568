#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the hand-designed seed inputs of the apfsim fuzz targets.

Deterministic: running it again rewrites the same bytes. The input formats
are described at the top of each fuzz/fuzz_<target>.c and in docs/fuzzing.md.
Usage: python3 fuzz/gen_corpus.py [corpus-dir]   (default: fuzz/corpus)
"""
import os
import struct
import sys
import zlib

U8 = lambda v: struct.pack("<B", v & 0xff)
U16 = lambda v: struct.pack("<H", v & 0xffff)
U32 = lambda v: struct.pack("<I", v & 0xffffffff)
U64 = lambda v: struct.pack("<Q", v & 0xffffffffffffffff)

# ---------------------------------------------------------------- sdei_smccc
SMCCC_VERSION, ARCH_FEATURES = 0x80000000, 0x80000001
def SDEI(n): return 0xC4000020 + n
SDEI_VERSION, REGISTER, ENABLE, DISABLE, CONTEXT, COMPLETE, RESUME, UNREGISTER, \
    STATUS, GET_INFO, ROUTING_SET, PE_MASK, PE_UNMASK, BIND, RELEASE, SIGNAL, \
    FEATURES, PRIVATE_RESET, SHARED_RESET = [SDEI(n) for n in range(0x13)]
PSCI_VERSION, CPU_OFF, CPU_ON, AFFINITY_INFO = 0x84000000, 0x84000002, 0x84000003, 0x84000004
MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES = 0x84000006, 0x84000008, 0x84000009, 0x8400000A
CPU_ON64 = 0xC4000003
EV_PRIV_CRIT, EV_PRIV_NORM, EV_SHARED_NORM, EV_SHARED_CRIT = 0x40400000, 0x40400001, 0x40400002, 0x40400003
ENTRY = 0x1000
# index of 0x1000 in interesting[] (fuzz_sdei_smccc.c), for the RESUME byte
RESUME_ADDR_INDEX = 20
PPI27_INDEX = 24  # index of 27 in interesting[]


def header(vcpus=1, system_event=False, seed=1, unmask=False, register=False):
    flags = (1 if system_event else 0) | (2 if unmask else 0) | (4 if register else 0)
    return U8(vcpus - 1) + U8(flags) + U16(seed)


def call(fid, *args, junk_high=None):
    """A raw-ID record (op 0xE0/0xE1); every argument given is a raw u64 (mode 2)."""
    out = U8(0xE1 if junk_high is not None else 0xE0) + U32(fid)
    if junk_high is not None:
        out += U32(junk_high)
    mode = 0
    for i in range(5):
        mode |= (2 if i < len(args) else 3) << (2 * i)
    out += U16(mode)
    for a in args:
        out += U64(a)
    return out


def action(kind, vcpu=0, value_index=0, flag=0):
    """Host/guest action 0xF0 | kind | flag<<3; value is interesting[value_index]."""
    return U8(0xF0 | kind | (flag << 3)) + U8(vcpu) + U8(value_index)


def complete(resume=False):
    """The byte the handler reads to choose how it completes."""
    return U8((RESUME_ADDR_INDEX << 1) | 1 if resume else 0)


def sdei_seeds():
    s = {}
    s["probe-versions"] = header() + call(SMCCC_VERSION) + call(ARCH_FEATURES, REGISTER) + \
        call(ARCH_FEATURES, 0xC4000033) + call(PSCI_VERSION) + call(SDEI_VERSION) + \
        call(FEATURES, 0) + call(FEATURES, 1) + call(MIGRATE_INFO_TYPE) + \
        call(PSCI_FEATURES, CPU_ON) + call(PSCI_FEATURES, 0x84000001)
    s["event0-signal-complete"] = header() + call(REGISTER, 0, ENTRY, 0x55, 0, 0) + \
        call(ENABLE, 0) + call(PE_UNMASK) + call(SIGNAL, 0, 0) + \
        call(STATUS, 0) + call(CONTEXT, 2) + complete() + call(STATUS, 0) + \
        call(UNREGISTER, 0)
    s["event0-signal-resume"] = header(seed=2) + call(REGISTER, 0, ENTRY, 0x55, 0, 0) + \
        call(ENABLE, 0) + call(PE_UNMASK) + call(SIGNAL, 0, 0) + call(CONTEXT, 0) + \
        call(CONTEXT, 18) + complete(resume=True) + call(DISABLE, 0) + call(UNREGISTER, 0)
    s["host-private-critical"] = header(seed=3) + call(REGISTER, EV_PRIV_CRIT, ENTRY, 7, 0, 0) + \
        call(ENABLE, EV_PRIV_CRIT) + call(PE_UNMASK) + action(0, 0, 8) + \
        call(STATUS, EV_PRIV_CRIT) + call(UNREGISTER, EV_PRIV_CRIT) + complete() + \
        call(STATUS, EV_PRIV_CRIT)
    s["nested-normal-critical"] = header(seed=4) + \
        call(REGISTER, EV_PRIV_NORM, ENTRY, 1, 0, 0) + call(ENABLE, EV_PRIV_NORM) + \
        call(REGISTER, EV_PRIV_CRIT, ENTRY, 2, 0, 0) + call(ENABLE, EV_PRIV_CRIT) + \
        call(PE_UNMASK) + action(0, 0, 9) + action(0, 0, 8) + action(5) + action(5) + \
        complete() + complete(resume=True)
    s["bind-ppi-dispatch"] = header(seed=5) + call(BIND, 27) + \
        call(REGISTER, 1000, ENTRY, 3, 0, 0) + call(ENABLE, 1000) + call(PE_UNMASK) + \
        action(2, 0, PPI27_INDEX) + action(5) + complete() + action(2, 0, PPI27_INDEX, flag=1) + \
        call(UNREGISTER, 1000) + call(RELEASE, 1000) + call(BIND, 16) + call(BIND, 32) + \
        call(BIND, 1020) + call(BIND, 15)
    s["shared-routing"] = header(vcpus=2, seed=6) + \
        call(REGISTER, EV_SHARED_NORM, ENTRY, 4, 1, 0x1) + \
        call(GET_INFO, EV_SHARED_NORM, 0) + call(GET_INFO, EV_SHARED_NORM, 1) + \
        call(GET_INFO, EV_SHARED_NORM, 2) + call(GET_INFO, EV_SHARED_NORM, 3) + \
        call(GET_INFO, EV_SHARED_NORM, 4) + call(GET_INFO, EV_SHARED_NORM, 5) + \
        call(ROUTING_SET, EV_SHARED_NORM, 0, 0) + call(ENABLE, EV_SHARED_NORM) + \
        call(PE_UNMASK) + action(0, 1, 10) + action(5) + complete() + call(PE_UNMASK) + \
        complete() + call(SHARED_RESET)
    s["psci-hotplug"] = header(vcpus=3, system_event=True, seed=7) + \
        call(AFFINITY_INFO, 1, 0) + call(CPU_OFF) + call(AFFINITY_INFO, 1, 0) + \
        call(CPU_ON, 1, ENTRY, 9) + call(CPU_ON64, 2, ENTRY, 9) + call(CPU_ON, 1, 0, 0) + \
        call(AFFINITY_INFO, 0x100, 0) + call(AFFINITY_INFO, 0, 4) + call(SDEI_VERSION) + \
        call(SYSTEM_RESET) + call(CPU_OFF) + call(CPU_OFF)
    s["psci-no-system-hook"] = header(vcpus=1, seed=8) + call(SYSTEM_OFF) + \
        call(SYSTEM_RESET) + call(CPU_OFF) + call(CPU_ON, 0, ENTRY, 0) + call(CPU_ON, 5, ENTRY, 0)
    s["errors-outside-handler"] = header(seed=9) + call(CONTEXT, 0) + call(CONTEXT, 18) + \
        call(COMPLETE, 0) + call(RESUME, ENTRY) + call(UNREGISTER, 0x12345) + \
        call(REGISTER, 0, 0, 0, 0, 0) + call(REGISTER, 0, ENTRY, 0, 2, 0) + \
        call(REGISTER, EV_SHARED_NORM, ENTRY, 0, 1, 0xff00000000) + call(ENABLE, 0) + \
        call(PE_MASK) + call(PE_MASK) + call(PE_UNMASK) + call(PRIVATE_RESET) + \
        call(SHARED_RESET) + call(SIGNAL, 1, 0) + call(SIGNAL, 0, 0x10) + call(SDEI(0x13)) + \
        call(SDEI(0x1F))
    s["raw-ids"] = header(seed=10) + call(0x04000000) + call(0xC4010021) + \
        call(0x84000021) + call(0x86000000) + call(0x86000002, 0) + call(0xB2000000) + \
        call(SMCCC_VERSION, junk_high=0xFFFFFFFF) + call(SDEI_VERSION, junk_high=1) + \
        call(0x80000002) + call(0xC0000000)
    s["irq-and-sdei"] = header(vcpus=2, seed=11) + action(4, flag=0) + \
        call(REGISTER, EV_PRIV_CRIT, ENTRY, 5, 0, 0) + call(ENABLE, EV_PRIV_CRIT) + \
        call(PE_UNMASK) + action(2, 0, PPI27_INDEX) + action(0, 0, 8) + action(4, flag=1) + \
        action(5) + complete(resume=True) + action(3, 1, 1) + action(2, 0, PPI27_INDEX, flag=1) + \
        action(1, 0, 8)
    # Boot flags: PE unmasked, event 0 and EV_PRIV_CRIT registered and enabled.
    s["boot-signal-nested"] = header(vcpus=2, unmask=True, register=True, seed=13) + \
        call(SIGNAL, 0, 0) + action(0, 0, 8) + call(STATUS, EV_PRIV_CRIT) + action(5) + \
        complete(resume=True) + complete() + call(SIGNAL, 0, 1) + action(0, 1, 8) + \
        complete() + complete()
    s["boot-cpu-off-in-handler"] = header(vcpus=2, unmask=True, register=True, seed=14) + \
        action(0, 1, 8) + action(0, 0, 8) + call(CPU_OFF) + call(AFFINITY_INFO, 0, 0) + \
        complete() + call(CPU_ON, 0, ENTRY, 1) + complete()
    # Records chosen through the ID dictionary (op < 0xE0) with argument modes 0/1.
    dict_calls = b"".join(U8(op) + U16(0x0) + U8(i) + U8(i + 1) + U8(i + 2) + U8(i + 3) + U8(i + 4)
                          for i, op in enumerate(range(0, 56)))
    s["dictionary-sweep"] = header(vcpus=2, system_event=True, seed=12) + dict_calls
    return s

# ---------------------------------------------------------------- xenshim
HV_VERSION, HV_EVTCHN, HV_GNTTAB = 17, 32, 20
DOMID_SELF = 0x7FF0


def xhc(nr_sel, caller, cmd, args=(), path=0, raw_nr=None, stub_offset=None, raw_cmd=False):
    """A hypercall record. args: list of (mode, value)."""
    op = nr_sel | (path << 3) | (0x20 if raw_cmd else 0)
    out = U8(op)
    if nr_sel == 6:
        out += U8(raw_nr)
    elif nr_sel == 7:
        out += U32(raw_nr)
    if path == 3:
        out += U16(stub_offset)
    out += U8(caller) + (U32(cmd) if raw_cmd else U8(cmd))
    mode = 0
    for i in range(4):
        m = args[i][0] if i < len(args) else 1
        mode |= m << (2 * i)
    out += U8(mode)
    for i in range(4):
        m, v = args[i] if i < len(args) else (1, 0)
        out += {0: U16, 1: U8, 2: U64, 3: U8}[m](v)
    return out


def xpoke(dom, at, data):
    return U8(0xC0) + U8(dom) + U16(at) + U8(len(data)) + data


def xgrant(dom, ref, flags, grantee, frame):
    return U8(0xE0) + U8(dom) + U16(ref) + U8(flags) + U8(grantee) + U8(frame)


def xhandle(dom, at, target):
    return U8(0xF5) + U8(dom) + U16(at) + U16(target)


def dom_caller(dom, vcpu=0):
    return dom | (vcpu << 2)


def xenshim_seeds():
    s = {}
    s["version-all-cmds"] = U8(1) + b"".join(
        xhc(0, 0, cmd, [(0, 0x200)]) for cmd in list(range(0, 12)) + [0xFF])
    s["version-get-features"] = U8(1) + xpoke(1, 0x100, U32(0) + U32(0xFFFFFFFF)) + \
        xhc(0, dom_caller(1), 6, [(0, 0x100)]) + xhc(0, dom_caller(1), 6, [(3, 0)]) + \
        xpoke(1, 0x100, U32(1)) + xhc(0, dom_caller(1), 6, [(0, 0x100)]) + \
        xhc(0, dom_caller(1), 6, [(3, 2)]) + xhc(0, dom_caller(1), 1, [(3, 1)])
    s["evtchn-interdomain"] = U8(1) + \
        xpoke(0, 0x40, U16(DOMID_SELF) + U16(1) + U32(0)) + \
        xhc(2, dom_caller(0), 6, [(0, 0x40)]) + \
        xpoke(1, 0x40, U16(0) + U16(0) + U32(1) + U32(0)) + \
        xhc(2, dom_caller(1), 0, [(0, 0x40)]) + \
        xpoke(1, 0x80, U32(1)) + xhc(2, dom_caller(1), 4, [(0, 0x80)]) + \
        xpoke(0, 0x80, U32(1)) + xhc(2, dom_caller(0), 4, [(0, 0x80)]) + \
        xpoke(0, 0xC0, U16(DOMID_SELF) + U16(0) + U32(1)) + xhc(2, dom_caller(0), 5, [(0, 0xC0)]) + \
        U8(0xF3) + U8(1) + U16(1) + xhc(2, dom_caller(1), 9, [(0, 0x80)]) + \
        U8(0xF4) + U8(1) + U16(0) + xhc(2, dom_caller(1), 3, [(0, 0x80)]) + \
        xhc(2, dom_caller(0), 5, [(0, 0xC0)])
    s["evtchn-errors"] = U8(1) + xpoke(2, 0, U16(1) + U16(0) + U32(0)) + \
        xhc(2, dom_caller(2), 6, [(0, 0)]) + xpoke(2, 0x10, U32(4096)) + \
        xhc(2, dom_caller(2), 4, [(0, 0x10)]) + xhc(2, dom_caller(2), 3, [(0, 0x10)]) + \
        xhc(2, dom_caller(2), 9, [(0, 0x10)]) + xhc(2, dom_caller(2), 1, [(0, 0)]) + \
        xhc(2, dom_caller(2), 13, [(0, 0)]) + xhc(2, dom_caller(2), 4, [(3, 1)]) + \
        xhc(2, dom_caller(2), 4, [(0, 8 * 4096 - 2)]) + xpoke(2, 0x20, U16(9) + U16(0) + U32(0)) + \
        xhc(2, dom_caller(2), 5, [(0, 0x20)])
    # dom2 grants its frame 3 to dom1; dom1 maps it, copies from it, unmaps it.
    map_op = U64(0) + U32(2) + U32(0) + U16(2) + U16(0) + U32(0) + U64(0)  # host_map, ref 0, dom 2
    unmap_op = U64(0) + U64(0) + U32(0) + U16(0) + U16(0)
    copy_op = U64(0) + U16(2) + U16(0) + U32(0) + U64(1) + U16(DOMID_SELF) + U16(16) + U32(0) + \
        U16(64) + U16(1) + U16(0) + U16(0)
    s["gnttab-map-copy-unmap"] = U8(1) + \
        xpoke(2, 0x300, U16(DOMID_SELF) + U16(0) + U32(1) + U64(0)) + \
        xhandle(2, 0x310, 0x400) + xhc(4, dom_caller(2), 2, [(0, 0x300), (1, 1)]) + \
        xhc(4, dom_caller(2), 6, [(0, 0x300), (1, 1)]) + \
        xgrant(2, 0, 0x01, 1, 3) + xgrant(2, 1, 0x05, 1, 4) + xgrant(2, 2, 0x01, 0, 3) + \
        xpoke(1, 0x200, map_op) + xhc(4, dom_caller(1), 0, [(0, 0x200), (1, 1)]) + \
        xpoke(1, 0x240, copy_op) + xhc(4, dom_caller(1), 5, [(0, 0x240), (1, 1)]) + \
        xpoke(1, 0x280, unmap_op) + xhc(4, dom_caller(1), 1, [(0, 0x280), (1, 1)]) + \
        xhc(4, dom_caller(1), 1, [(0, 0x280), (1, 1)]) + \
        xhc(4, dom_caller(1), 0, [(0, 0x200), (1, 65)]) + \
        xhc(4, dom_caller(1), 0, [(0, 16 * 4096 - 8), (1, 1)]) + \
        xhc(4, dom_caller(1), 8, [(0, 0), (1, 1)])
    s["paths-and-slot"] = U8(0) + xhc(0, 0, 0) + U8(0xF0) + xhc(0, 0, 0) + U8(0xF0) + \
        U8(0xF2) + U8(0xF1) + U8(0xF1) + U8(0xF2) + xhc(0, 0, 7) + \
        xhc(6, 0, 0, raw_nr=200) + xhc(6, 0, 0, path=2, raw_nr=200) + \
        xhc(6, 0, 0, path=2, raw_nr=17) + xhc(7, 0, 0, raw_nr=0xFFFFFFFF) + \
        xhc(0, 0, 0, path=3, stub_offset=17 * 32) + xhc(0, 0, 0, path=3, stub_offset=17 * 32 + 1) + \
        xhc(0, 0, 0, path=3, stub_offset=4096) + xhc(6, 0, 0, raw_nr=23) + \
        xhc(0, 0, 0x80000000, raw_cmd=True) + U8(0xF1)
    s["handles-special"] = U8(1) + b"".join(
        xhc(0, dom_caller(d), 1, [(3, k)]) for d in range(3) for k in range(6))
    return s

# ---------------------------------------------------------------- schedule_decode
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def varint(v):
    out = b""
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def base32(data):
    bits = "".join(f"{b:08b}" for b in data)
    bits += "0" * (-len(bits) % 5)
    return "".join(ALPHABET[int(bits[i:i + 5], 2)] for i in range(0, len(bits), 5))


def text_of(payload):
    return f"apfs1-{base32(payload)}-{zlib.crc32(payload) & 0xffffffff:08x}"


def payload(count, records):
    return b"\x01" + varint(count) + b"".join(varint(r) for r in records)


def schedule_seeds():
    s = {}
    example = payload(5, [1 << 2, (1 << 2) | 1, (0 << 3) | (1 << 2) | 2, (2 << 2) | 3])
    s["text-doc-example"] = b"\x00" + text_of(example).encode()
    s["text-empty-schedule"] = b"\x00" + text_of(payload(0, [])).encode()
    s["text-split-runs"] = b"\x00" + text_of(payload(4, [0, (0 << 2) | 1, (1 << 2) | 1])).encode()
    s["text-bad-crc"] = b"\x00" + text_of(example)[:-1].encode() + b"0"
    s["text-bad-prefix"] = b"\x00apfs2-0400-58c223be"
    s["text-upper-case"] = b"\x00" + text_of(example).upper().encode()
    s["payload-big-values"] = b"\x01" + payload(3, [(0xFFFFFFFF << 2), (0xFFFFFFFF << 2) | 3, 2])
    s["payload-long-runs"] = b"\x01" + payload(10000 + 5000 + 2, [
        7 << 2, (9998 << 2) | 1, (4999 << 3) | (1 << 2) | 2, 3 << 2, 7 << 2])
    s["payload-overlong-varint"] = b"\x01\x01\x80\x00"
    s["payload-repeat-first"] = b"\x01" + payload(2, [(1 << 2) | 1])
    s["payload-count-limit"] = b"\x01" + payload(4194305, [])
    s["payload-trailing"] = b"\x01" + payload(1, [0, 0])
    text = text_of(example)
    s["file-form"] = b"\x02# format: apfsim-schedule/1\n# seed: 0xdeadbeef00c0ffee\n" + \
        b"# decisions: 5\n# finding: a comment\n" + text[:10].encode() + b"\r\n\n" + \
        text[10:].encode()
    s["file-missing-header"] = b"\x02# format: apfsim-schedule/1\n# decisions: 5\n" + text.encode() + b"\n"
    s["file-count-mismatch"] = b"\x02# format: apfsim-schedule/1\n# seed: 42\n# decisions: 6\n" + \
        text.encode()
    return s


# ---------------------------------------------------------------- token_order
# Header (fuzz/token_order.h): vcpus-1, tasks-1, touches-1, pages-1,
# nonresident quarters | event count << 3, class mask, flags, seed-1.
HOTPLUG, DISABLE, RESET, MIGRATE, REBOOT = 1, 2, 4, 8, 16
F_ALLOC_FAIL, F_APF_ABSENT, F_ONE_WORKER, F_SDEI_DEFAULT, F_SLOW_PAGEIN = 1, 2, 4, 8, 16


def to_header(vcpus=2, tasks=2, touches=2, pages=4, nonres=4, events=0, classes=0, flags=0,
              seed=1):
    return bytes([vcpus - 1, tasks - 1, touches - 1, pages - 1, (nonres & 7) | (events << 3),
                  classes, flags, (seed - 1) & 0xff])


def keep(n):
    """A thread-pick byte: keep the current thread for n more picks."""
    return bytes([0x80 | n])


def token_order_seeds():
    s = {}
    s["empty"] = b""
    s["header-only"] = to_header()
    s["one-cpu-one-task"] = to_header(vcpus=1, tasks=1, touches=8, pages=8)
    s["resident-only"] = to_header(nonres=0, tasks=4, touches=4)
    s["all-swapped-4cpu"] = to_header(vcpus=4, tasks=6, touches=8, pages=8, seed=3)
    s["picks-rotate"] = to_header(tasks=4) + bytes(range(64))
    s["picks-keep"] = to_header(tasks=3) + (keep(5) + b"\x01" + keep(31) + b"\x02") * 8
    s["irq-defer-all"] = to_header(tasks=3, touches=3) + b"\xff" * 48
    s["irq-take-all"] = to_header(tasks=3, touches=3) + b"\x00" * 48
    s["irq-alternate"] = to_header(vcpus=3, tasks=5) + b"\xaa\x55" * 40
    for name, cls in (("hotplug", HOTPLUG), ("disable", DISABLE), ("reset", RESET),
                      ("migrate", MIGRATE), ("reboot", REBOOT)):
        for cpus in (1, 2, 4):
            s[f"event-{name}-{cpus}cpu"] = to_header(vcpus=cpus, tasks=4, touches=4, events=3,
                                                      classes=cls, seed=cpus) + \
                bytes([0, 1, 2, 3]) * 4
    s["events-all-8"] = to_header(vcpus=3, tasks=6, touches=6, events=8, classes=31, seed=9) + \
        bytes(range(0, 256, 7))
    s["events-hotplug-disable-reset"] = to_header(vcpus=2, tasks=4, events=6,
                                                   classes=HOTPLUG | DISABLE | RESET) + \
        bytes([5, 0x81, 2, 7, 0, 1]) * 6
    s["inject-alloc-fail"] = to_header(tasks=4, touches=4, flags=F_ALLOC_FAIL, seed=5)
    s["inject-alloc-fail-events"] = to_header(vcpus=2, tasks=4, events=4, classes=31,
                                              flags=F_ALLOC_FAIL, seed=6) + bytes(range(32))
    s["apf-absent-vcpu"] = to_header(vcpus=2, tasks=4, touches=4, flags=F_APF_ABSENT)
    s["apf-absent-migrate"] = to_header(vcpus=3, tasks=4, events=3, classes=MIGRATE | HOTPLUG,
                                        flags=F_APF_ABSENT) + bytes([2, 2, 2, 2])
    s["one-worker"] = to_header(vcpus=2, tasks=6, touches=3, flags=F_ONE_WORKER)
    s["sdei-default-event"] = to_header(tasks=2, flags=F_SDEI_DEFAULT)
    s["slow-pagein-events"] = to_header(vcpus=2, tasks=5, touches=2, events=5,
                                        classes=HOTPLUG | DISABLE | REBOOT,
                                        flags=F_SLOW_PAGEIN, seed=11) + bytes([0, 7, 1, 6]) * 8
    s["choices-u16"] = to_header(tasks=2, touches=8, pages=8) + b"\x07\x00" * 32
    return s


def scenario_seeds():
    s = {}
    sdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios")
    for name in sorted(os.listdir(sdir)):
        if name.endswith(".json"):
            with open(os.path.join(sdir, name), "rb") as f:
                text = f.read()
            base = name[:-5]
            s[f"builtin-{base}"] = text
            s[f"cut-{base}"] = text[: len(text) // 2]
    s["empty-object"] = b"{}"
    s["draws-schedule"] = b'{"draws": "schedule", "events": {"count": 2}}'
    s["draws-bad"] = b'{"draws": "dice"}'
    s["unknown-field"] = b'{"vcpu": 4}'
    s["duplicate-key"] = b'{"tasks": 1, "tasks": 2}'
    s["bad-ratio"] = b'{"write_ratio": "3/2", "nonresident_ratio": "1/0"}'
    s["bad-range"] = b'{"pagein_ticks": [400, 50]}'
    s["events-classes-empty"] = b'{"events": {"count": 3, "classes": []}}'
    s["weights"] = b'{"events": {"count": 1, "weights": {"reboot": 7, "migrate": 1000000}}}'
    s["absent-vcpus"] = b'{"vcpus": 3, "kvm": {"apf_absent_vcpus": [0, 2]}}'
    s["seed-string"] = b'{"campaign": {"seed": "0xffffffffffffffff", "strategy": "dfs"}}'
    s["seed-commit"] = b'{"campaign": {"seed": "0123456789abcdef0123456789abcdef01234567"}}'
    s["oracles-list"] = b'{"oracles": ["token-unique"], "inject": "all"}'
    s["big-number"] = b'{"steps_max": 99999999999999999999}'
    s["nested"] = b"[" * 64 + b"]" * 64
    s["not-object"] = b"[1, 2, 3]"
    s["control-char"] = b'{"description": "a\\u0001b"}'
    s["nul-in-string"] = b'{"name": "a\\u0000b"}'
    return s


# ---------------------------------------------------------------- dictionaries
def esc(data):
    return "".join(chr(b) if 0x20 <= b < 0x7f and chr(b) not in '"\\' else f"\\x{b:02x}"
                   for b in data)


def sdei_dict():
    d = []
    fids = {"smccc_version": SMCCC_VERSION, "arch_features": ARCH_FEATURES,
            "psci_version": PSCI_VERSION, "cpu_off": CPU_OFF, "cpu_on": CPU_ON,
            "cpu_on64": CPU_ON64, "affinity_info": AFFINITY_INFO,
            "migrate_info_type": MIGRATE_INFO_TYPE, "system_off": SYSTEM_OFF,
            "system_reset": SYSTEM_RESET, "psci_features": PSCI_FEATURES,
            "kvm_async_pf": 0x86000002}
    for n in range(0x13):
        fids[f"sdei_{n:02x}"] = SDEI(n)
    for name, fid in fids.items():
        d.append((f"raw_{name}", U8(0xE0) + U32(fid)))
    for name, v in (("event_priv_crit", EV_PRIV_CRIT), ("event_priv_norm", EV_PRIV_NORM),
                    ("event_shared_norm", EV_SHARED_NORM), ("event_shared_crit", EV_SHARED_CRIT),
                    ("slot_1000", 1000), ("slot_2000", 2000), ("entry", ENTRY),
                    ("mpidr_1", 1), ("mpidr_100", 0x100), ("ppi_27", 27), ("ctx_18", 18)):
        d.append((f"u64_{name}", U64(v)))
    d.append(("mode_all_raw", U16(0x2AA)))
    d.append(("mode_all_interesting", U16(0)))
    for kind in range(8):
        d.append((f"action_{kind}", U8(0xF0 | kind)))
    return d


def xenshim_dict():
    d = [("domid_self", U16(DOMID_SELF)), ("domid_self_dom1", U16(DOMID_SELF) + U16(1)),
         ("gnttab_host_map", U32(2)), ("port_1", U32(1)), ("port_4096", U32(4096)),
         ("grant_permit", U8(0xE0)), ("slot_register", U8(0xF0)), ("slot_unregister", U8(0xF1)),
         ("handle_poke", U8(0xF5)), ("poke", U8(0xC0))]
    for cmd in range(0, 14):
        d.append((f"evtchn_cmd_{cmd}", U8(2) + U8(0) + U8(cmd)))
    for cmd in range(0, 13):
        d.append((f"gnttab_cmd_{cmd}", U8(4) + U8(0) + U8(cmd)))
    for cmd in range(0, 12):
        d.append((f"version_cmd_{cmd}", U8(0) + U8(0) + U8(cmd)))
    return d


def schedule_dict():
    d = [("magic", b"apfs1-"), ("magic2", b"apfs2-"), ("empty", b"apfs1-0400-58c223be"),
         ("format", b"# format: apfsim-schedule/1\n"), ("seed", b"# seed: 0x"),
         ("decisions", b"# decisions: "), ("comment", b"# finding: "), ("crlf", b"\r\n"),
         ("version_byte", b"\x01"), ("varint_max", b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
         ("varint_overlong", b"\x80\x00"), ("count_limit", varint(4194304))]
    for c in ALPHABET:
        d.append((f"digit_{c}", c.encode()))
    return d


def token_order_dict():
    d = [("keep_max", b"\xff"), ("keep_1", b"\x81"), ("irq_defer_8", b"\xff"),
         ("irq_take_8", b"\x00"), ("u16_zero", b"\x00\x00")]
    for name, cls in (("hotplug", HOTPLUG), ("disable", DISABLE), ("reset", RESET),
                      ("migrate", MIGRATE), ("reboot", REBOOT), ("all", 31)):
        d.append((f"header_{name}", to_header(vcpus=2, tasks=4, touches=4, events=4,
                                              classes=cls)))
    d.append(("header_alloc_fail", to_header(flags=F_ALLOC_FAIL)))
    d.append(("header_big", to_header(vcpus=4, tasks=6, touches=8, pages=8, events=8,
                                      classes=31, flags=F_ALLOC_FAIL)))
    return d


def scenario_dict():
    keys = ["name", "description", "vcpus", "tasks", "touches", "pages", "write_ratio",
            "nonresident_ratio", "pagein_ticks", "ppi", "cmdline", "steps_max",
            "trace_ring_size", "kvm", "expose_default_sdei_event", "apf_absent_vcpus",
            "workers", "events", "count", "classes", "weights", "gap_ticks", "offline_ticks",
            "inject", "alloc_fail_ratio", "irq_delay_take_ratio", "liveness_ticks", "oracles",
            "irq_storm_bound", "draws", "campaign", "executions", "strategy", "seed", "swarm",
            "pct_depth"]
    d = [(f"key_{k}", f'"{k}":'.encode()) for k in keys]
    for v in ("hotplug", "disable", "reset", "migrate", "reboot", "alloc-fail", "irq-delay",
              "all", "seed", "schedule", "pct", "random", "dfs", "rr", "replay", "no-kvmapf"):
        d.append((f"value_{v.replace('-', '_')}", f'"{v}"'.encode()))
    for tok in ("true", "false", "null", "1/2", "0/0", "[50, 400]", "{}", "[]", "0x"):
        d.append((f"tok_{len(d)}", tok.encode()))
    return d


def write_dict(path, entries, title):
    with open(path, "w") as f:
        f.write(f"# {title}\n# Generated by fuzz/gen_corpus.py; libFuzzer / AFL++ dictionary format.\n")
        for name, data in entries:
            f.write(f'{name}="{esc(data)}"\n')


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    for target, seeds in (("sdei_smccc", sdei_seeds()), ("xenshim", xenshim_seeds()),
                          ("schedule_decode", schedule_seeds()),
                          ("token_order", token_order_seeds()),
                          ("scenario_parse", scenario_seeds())):
        d = os.path.join(root, target)
        os.makedirs(d, exist_ok=True)
        for name, data in sorted(seeds.items()):
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print(f"{target}: {len(seeds)} seeds in {d}")
    dict_dir = os.path.join(os.path.dirname(os.path.abspath(root)), "dict") \
        if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "dict")
    os.makedirs(dict_dir, exist_ok=True)
    write_dict(os.path.join(dict_dir, "sdei_smccc.dict"), sdei_dict(),
               "fuzz_sdei_smccc: raw-ID records, argument values, actions")
    write_dict(os.path.join(dict_dir, "xenshim.dict"), xenshim_dict(),
               "fuzz_xenshim: hypercall record prefixes, struct fields, ops")
    write_dict(os.path.join(dict_dir, "schedule_decode.dict"), schedule_dict(),
               "fuzz_schedule_decode: text form, file form, payload tokens")
    write_dict(os.path.join(dict_dir, "token_order.dict"), token_order_dict(),
               "fuzz_token_order: headers (world configurations) and script bytes")
    write_dict(os.path.join(dict_dir, "scenario_parse.dict"), scenario_dict(),
               "fuzz_scenario_parse: scenario JSON keys and values")


if __name__ == "__main__":
    main()
