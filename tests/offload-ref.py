#! /usr/bin/python3
# Checks ovs-gre's software TSO and GRO (tests/test-offload) against a
# reference written with scapy.
#
# usage: offload-ref.py TEST_OFFLOAD gso TYPE
#            every combination of options for tunnel TYPE (gre, ip6gre,
#            erspan, ip6erspan) with inner IPv4 and IPv6: a batch of one
#            TSO packet and one small checksum-offload packet, pushed and
#            output; every segment must equal the reference byte for byte.
#        offload-ref.py TEST_OFFLOAD gso-learned TYPE MTU
#            the same for a few option sets of gre or ip6gre, after an
#            underlay ICMP error taught the port a path MTU of MTU: the
#            segments must be cut for it.
#        offload-ref.py TEST_OFFLOAD resegment
#            a TSO packet output (without a tunnel) to a port without TSO.
#        offload-ref.py TEST_OFFLOAD gro CASE
#            one receive batch (see GRO_CASES); the merged packets must
#            equal the reference, and what must not merge must not.
#        offload-ref.py - segsz-packet inner4|inner6
#            prints, in hex, the TSO packet that segsz-check expects to
#            have been sent into a tunnel.
#        offload-ref.py - segsz-check inner4|inner6 SEGSZ PCAP
#            the GRE frames in PCAP (an underlay port's capture) must be
#            that packet cut at SEGSZ bytes of payload, each segment equal
#            to the reference byte for byte in the outer headers of the
#            first (its lengths, checksums, id and sequence number
#            stepped).
#        offload-ref.py - gro-pcap PCAP
#            writes into PCAP four GRE frames (key 42, from 192.0.2.2 to
#            192.0.2.1) carrying four 1000-byte segments of one TCP flow,
#            in order, which GRO merges into one.
#        offload-ref.py - whole-check inner4|inner6 PCAP
#            PCAP must hold one GRE frame: that packet whole, as it was
#            sent into the tunnel, in outer headers with the right length
#            and checksum (a port with GRE tunnel TSO segments it).
#
# Prints one "ok ..." line per checked combination; exits 1 on the first
# difference, after printing both sides.

import subprocess
import sys

from scapy.all import (GRE, ICMP, IP, TCP, UDP, Ether, ICMPv6PacketTooBig,
                       IPv6, Raw, bind_layers, checksum, rdpcap, wrpcap)
from scapy.contrib.erspan import ERSPAN_II, ERSPAN_III

bind_layers(GRE, ERSPAN_II, proto=0x88BE)
bind_layers(GRE, ERSPAN_III, proto=0x22EB)

UNDERLAY_MTU = 1500
INNER_ETH = Ether(src="50:54:00:00:00:01", dst="50:54:00:00:00:02")
TS_OPTIONS = [("NOP", None), ("NOP", None), ("Timestamp", (11, 22))]


def fail(msg, ours=None, ref=None):
    print("FAILED: " + msg)
    if ours is not None:
        first = next((i for i, (a, b) in enumerate(zip(ours, ref))
                      if a != b), min(len(ours), len(ref)))
        start = max(0, first - 16)
        print("  %d bytes ours, %d reference; first difference at byte %d"
              % (len(ours), len(ref), first))
        print("  ours from byte %d: %s" % (start, ours[start:first + 32].hex()))
        print("  ref  from byte %d: %s" % (start, ref[start:first + 32].hex()))
    sys.exit(1)


def run(tool, args, lines):
    """Runs test-offload; returns its packets [(flags, bytes)] and its
    totals line."""
    out = subprocess.run([tool] + args, input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=True).stdout
    packets, totals = [], None
    for line in out.splitlines():
        if line.startswith("offload "):
            totals = line
        else:
            flags, hexdata = line.split(" ")
            packets.append((flags, bytes.fromhex(hexdata)))
    return packets, totals


def inner_packet(ipv6, payload_len, l3=False, flags="PA"):
    """A TCP packet as a VM's TSO would hand it over."""
    payload = bytes((i * 7 + 3) & 0xff for i in range(payload_len))
    if ipv6:
        ip = IPv6(src="2001:db8:1::1", dst="2001:db8:1::2", hlim=64)
    else:
        ip = IP(src="198.51.100.1", dst="198.51.100.2", id=0x1234,
                flags="DF", ttl=64)
    tcp = TCP(sport=40000, dport=5201, seq=1000, ack=2000, flags=flags,
              window=500, options=TS_OPTIONS, chksum=0x1111)
    pkt = ip / tcp / Raw(payload)
    return pkt if l3 else INNER_ETH / pkt


def segment(pkt, mss):
    """The reference segmentation of TSO packet 'pkt'."""
    payload = bytes(pkt[TCP].payload)
    n = (len(payload) + mss - 1) // mss
    segs = []
    for i in range(n):
        s = pkt.copy()
        s[TCP].remove_payload()
        s[TCP].add_payload(Raw(payload[i * mss:(i + 1) * mss]))
        s[TCP].seq = pkt[TCP].seq + i * mss
        flags = int(pkt[TCP].flags)
        if i + 1 < n:
            flags &= ~0x09              # FIN, PSH only on the last.
        if i:
            flags &= ~0x80              # CWR only on the first.
        s[TCP].flags = flags
        s[TCP].chksum = None
        if s.haslayer(IPv6):
            s[IPv6].plen = None
        else:
            s[IP].id = pkt[IP].id + i
            s[IP].len = None
            s[IP].chksum = None
        segs.append(s)
    return segs


def resolved(pkt):
    """'pkt' with its TCP checksum computed."""
    s = pkt.copy()
    s[TCP].chksum = None
    return s


def outer_overhead(packet):
    """Bytes from the outer IP header to the inner frame or packet."""
    pkt = Ether(packet)
    ip = pkt.payload
    n = 40 if isinstance(ip, IPv6) else 20
    gre = ip.payload
    n += 4 + 4 * (gre.chksum_present + gre.key_present +
                  gre.seqnum_present)
    if gre.proto == 0x88BE:
        n += 8
    elif gre.proto == 0x22EB:
        n += 12 + (8 if gre.payload.o else 0)
    return n


def rewrap(template, inner, seq, index=0):
    """Puts 'inner' into a copy of the outer headers of 'template' (bytes
    of our first segment), with lengths, checksums and the GRE sequence
    number for it; for segment 'index' of a TSO packet, the outer IPv4 id
    of the first plus 'index'."""
    t = Ether(template)
    ip = t.payload
    if isinstance(ip, IPv6):
        ip.plen = None
    else:
        ip.len = None
        ip.chksum = None
        ip.id = (ip.id + index) & 0xffff
    gre = ip.payload
    if gre.seqnum_present:
        gre.sequence_number = seq
    if gre.chksum_present:
        gre.chksum = None
    last = gre
    if gre.proto in (0x88BE, 0x22EB):
        last = gre.payload
        if gre.proto == 0x22EB and last.o:
            last = last.payload
    last.remove_payload()
    last.add_payload(inner)
    return bytes(t)


GSO_OPTIONS = {
    "gre": ["", "key=5", "csum=true", "seq=true", "key=5 csum=true seq=true",
            "packet_type=legacy_l3 key=9"],
    "ip6gre": ["", "key=5 csum=true seq=true",
               "seq=true"],
    "erspan": ["erspan_ver=1 erspan_idx=0x12 key=7",
               "erspan_ver=2 erspan_dir=1 erspan_hwid=3 key=7"],
    "ip6erspan": ["erspan_ver=1 erspan_idx=0x12 key=7",
                  "erspan_ver=2 erspan_dir=1 erspan_hwid=3 key=7"],
}


def underlay_icmp(type_, key, mtu):
    # An ICMP Fragmentation Needed or Packet Too Big from a router that
    # says 'mtu', about a packet of a port of 'type_' with 'key'.
    quoted = GRE(key_present=1, key=key, proto=0x6558) / Raw(bytes(64))
    eth = Ether(src="f8:bc:12:44:34:b6", dst="aa:55:aa:55:00:00")
    if type_.startswith("ip6"):
        return (eth / IPv6(src="2001:db8:ff::1", dst="2001:db8::1")
                / ICMPv6PacketTooBig(mtu=mtu)
                / IPv6(src="2001:db8::1", dst="2001:db8::2", nh=47)
                / quoted)
    return (eth / IP(src="198.51.100.254", dst="192.0.2.1")
            / ICMP(type=3, code=4, nexthopmtu=mtu)
            / IP(src="192.0.2.1", dst="192.0.2.2", proto=47) / quoted)


# With a path MTU learned from the underlay: what it cuts TSO packets to.
LEARNED_OPTIONS = {
    "gre": ["key=5", "key=5 csum=true seq=true"],
    "ip6gre": ["key=5"],
}


def check_gso(tool, type_, learned=None):
    remote = "2001:db8::2" if type_.startswith("ip6") else "192.0.2.2"
    underlay_mtu = learned or UNDERLAY_MTU
    for options in (LEARNED_OPTIONS if learned else GSO_OPTIONS)[type_]:
        l3 = "legacy_l3" in options
        for ipv6 in (False, True):
            name = "%s %s inner %s" % (type_, options or "(no options)",
                                       "IPv6" if ipv6 else "IPv4")
            if learned:
                name += ", path MTU %d learned" % learned
            big = inner_packet(ipv6, 5000, l3, flags="FPA")
            small = inner_packet(ipv6, 100, l3)
            args = ["push", type_, "remote_ip=" + remote] + options.split()
            if learned:
                args.append("icmp=" + bytes(underlay_icmp(type_, 5,
                                                          learned)).hex())
            lines = ["tso,csum " + bytes(big).hex(),
                     "csum " + bytes(small).hex()]
            packets, _ = run(tool, args, lines)
            if not packets:
                fail(name + ": nothing sent")
            overhead = outer_overhead(packets[0][1])
            hdrs = len(big) - len(big[TCP].payload)
            l3_ofs = 0 if l3 else 14
            mss = underlay_mtu - overhead - hdrs
            ref = segment(big, mss) + [resolved(small)]
            if len(packets) != len(ref):
                fail("%s: %d packets, expected %d" % (name, len(packets),
                                                      len(ref)))
            gre = Ether(packets[0][1]).payload.payload
            seq0 = gre.sequence_number if gre.seqnum_present else 0
            # The segments and the packet after them take consecutive
            # numbers from seq0 (a batch's block may leave a gap before).
            for i, ((flags, ours), r) in enumerate(zip(packets, ref)):
                # The small packet after the segments is not segmented.
                index = i if i < len(ref) - 1 else 0
                want = rewrap(packets[0][1], r, seq0 + i, index)
                if flags != "-" or ours != want:
                    fail("%s: packet %d (flags %s)" % (name, i, flags),
                         ours, want)
                if len(ours) - 14 > underlay_mtu:
                    fail("%s: packet %d is %d bytes" % (name, i, len(ours)))
            print("ok %s: %d segments of %d bytes + 1 packet, %d bytes of "
                  "inner headers from %d" % (name, len(ref) - 1, mss,
                                             hdrs, l3_ofs))


def check_resegment(tool):
    for ipv6 in (False, True):
        big = inner_packet(ipv6, 7000, flags="PA")
        packets, totals = run(tool, ["send", "1400"],
                              ["tso,csum " + bytes(big).hex()])
        hdrs = len(big) - len(big[TCP].payload) - 14
        ref = segment(big, 1400 - hdrs)
        if len(packets) != len(ref):
            fail("resegment: %d packets, expected %d" % (len(packets),
                                                         len(ref)))
        for i, ((flags, ours), r) in enumerate(zip(packets, ref)):
            if flags != "-" or ours != bytes(r):
                fail("resegment: packet %d" % i, ours, bytes(r))
        print("ok resegment inner %s: %d segments for MTU 1400; %s"
              % ("IPv6" if ipv6 else "IPv4", len(ref), totals))


# Receive.

def rx_frame(inner, key=None, bad_csum=False):
    gre = GRE(proto=0x6558)
    if key is not None:
        gre.key_present = 1
        gre.key = key
    if bad_csum:
        gre.chksum_present = 1
        gre.chksum = 0x1234
    return bytes(Ether(src="f8:bc:12:44:34:b6", dst="aa:55:aa:55:00:00")
                 / IP(src="192.0.2.2", dst="192.0.2.1", flags="DF")
                 / gre / inner)


def seg(n, size=1000, seq0=1000, id0=100, sport=40000, flags="A",
        ts=(11, 22), bad=False, ipv6=False):
    """Segment 'n' (from 0) of a flow, as the sender's GSO made it."""
    payload = bytes(((n * size + i) * 13) & 0xff for i in range(size))
    if ipv6:
        ip = IPv6(src="2001:db8:1::1", dst="2001:db8:1::2", hlim=64)
    else:
        ip = IP(src="198.51.100.1", dst="198.51.100.2", id=id0 + n, ttl=64,
                flags="DF")
    tcp = TCP(sport=sport, dport=5201, seq=seq0 + n * size, ack=2000,
              flags=flags, window=500,
              options=[("NOP", None), ("NOP", None), ("Timestamp", ts)])
    pkt = INNER_ETH / ip / tcp / Raw(payload)
    if bad:
        pkt = Ether(bytes(pkt))
        pkt[TCP].chksum ^= 0x5555
    return pkt


def merged(segs):
    """The reference GRO result of 'segs': the first's headers, the
    payloads in order, PSH from the last, the TCP checksum holding the
    pseudo-header sum."""
    m = Ether(bytes(segs[0]))
    m[TCP].remove_payload()
    m[TCP].add_payload(Raw(b"".join(bytes(s[TCP].payload) for s in segs)))
    m[TCP].flags = (int(m[TCP].flags) & ~0x08) | (int(segs[-1][TCP].flags)
                                                 & 0x08)
    if IPv6 in m:
        m[IPv6].plen = None
        m = Ether(bytes(m))
        ip = m[IPv6]
        tcp_len = ip.plen
        pseudo = (bytes(ip)[8:40] + tcp_len.to_bytes(4, "big")
                  + bytes([0, 0, 0, 6]))
    else:
        m[IP].len = None
        m[IP].chksum = None
        m = Ether(bytes(m))
        ip = m[IP]
        tcp_len = ip.len - 20
        pseudo = (bytes(ip)[12:20] + bytes([0, 6])
                  + tcp_len.to_bytes(2, "big"))
    # scapy's checksum() is the complement of the folded sum.
    m[TCP].chksum = ~checksum(pseudo) & 0xffff
    return bytes(m)


def aggregate(segs, tcp_csum=0xdead):
    """What the kernel's GRO on the underlay hands over for 'segs': one
    inner packet, the payloads in order, the lengths and IPv4 checksum of
    the whole, here with TCP checksum 'tcp_csum' (the pop writes the
    pseudo-header sum itself)."""
    m = Ether(merged(segs))
    m[TCP].chksum = tcp_csum
    return m


def udp_aggregate():
    """An aggregate that is not TCP: a 3000-byte UDP datagram."""
    return Ether(bytes(INNER_ETH / IP(src="198.51.100.1",
                                      dst="198.51.100.2", flags="DF")
                       / UDP(sport=1, dport=2) / Raw(b"u" * 3000)))


# Each case: (port options, [(frame, key[, "agg" or "agg,csum-stale"])],
# expected output), where an expected output is ("merged", [segment
# indexes]), ("as-is", index) or ("aggregate", index).  A frame marked
# "agg" arrives flagged for segmentation, as an aggregate that the
# kernel's GRO made on the underlay; with "csum-stale" it has a GRE
# checksum that is wrong (the first segment's, in real life).
def gro_cases():
    a = [seg(i) for i in range(6)]
    a[5] = seg(5, flags="PA")
    b = [seg(i, sport=40001, seq0=50000, id0=900) for i in range(3)]
    v6 = [seg(i, ipv6=True) for i in range(4)]
    return {
        "merge": ("", [(p, None) for p in a],
                  [("merged", list(range(6)))]),
        "merge-ipv6": ("", [(p, None) for p in v6],
                       [("merged", list(range(4)))]),
        "two-flows": ("", [(a[0], None), (b[0], None), (a[1], None),
                           (b[1], None), (a[2], None), (b[2], None)],
                      [("merged", [0, 2, 4]), ("merged", [1, 3, 5])]),
        "out-of-order": ("", [(a[0], None), (a[2], None), (a[1], None)],
                         [("as-is", 0), ("as-is", 1), ("as-is", 2)]),
        "flags": ("", [(a[0], None), (seg(1, flags="FA"), None),
                       (a[2], None), (seg(3, flags="SA"), None)],
                  [("as-is", 0), ("as-is", 1), ("as-is", 2), ("as-is", 3)]),
        "options": ("", [(a[0], None), (seg(1, ts=(11, 23)), None)],
                    [("as-is", 0), ("as-is", 1)]),
        "ip-ids": ("", [(seg(0, id0=100), None), (seg(1, id0=101), None)],
                   [("as-is", 0), ("as-is", 1)]),
        "bad-csum": ("", [(a[0], None), (seg(1, bad=True), None),
                          (a[2], None)],
                     [("as-is", 0), ("as-is", 1), ("as-is", 2)]),
        "tunnels": ("key=flow", [(a[0], 1), (a[1], 2), (a[2], 1)],
                    [("as-is", 0), ("as-is", 1), ("as-is", 2)]),
        "short": ("", [(a[0], None), (seg(1, size=500, seq0=1500), None),
                       (seg(2, size=500, seq0=1500), None)],
                  [("merged", [0, 1]), ("as-is", 2)]),
        # An aggregate is taken whole, flagged for the output to segment,
        # and ends a run of its connection: the segments around it are
        # not merged across it.
        "aggregate": ("", [(a[0], None), (aggregate(a[1:4]), None, "agg"),
                           (a[4], None)],
                      [("as-is", 0), ("aggregate", 1), ("as-is", 2)]),
        "aggregate-ipv6": ("", [(aggregate(v6), None, "agg")],
                           [("aggregate", 0)]),
        # Its GRE checksum is not checked; a plain frame's still is (the
        # last frame, dropped as gre_csum).
        "aggregate-csum": ("", [(aggregate(a[0:3]), None,
                                 "agg,csum-stale"),
                                (a[3], None, "csum-stale")],
                           [("aggregate", 0)]),
        "aggregate-udp": ("", [(udp_aggregate(), None, "agg"), (a[0], None)],
                          [("as-is", 1)]),
    }


def rx_line(frame, key, marks=""):
    """The input line of test-offload pop for one received frame."""
    data = rx_frame(frame, key, "csum-stale" in marks)
    return ("tso " if "agg" in marks else "") + data.hex()


def check_gro(tool, case):
    options, frames, expect = gro_cases()[case]
    args = ["pop", "gre", "remote_ip=192.0.2.2"] + options.split()
    packets, totals = run(tool, args, [rx_line(*f) for f in frames])
    if len(packets) != len(expect):
        fail("gro %s: %d packets, expected %d (%s)"
             % (case, len(packets), len(expect), totals))
    for i, ((flags, ours), (kind, which)) in enumerate(zip(packets,
                                                           expect)):
        if kind == "merged":
            want = merged([frames[k][0] for k in which])
            want_flags = "tso,csum"
        elif kind == "aggregate":
            agg = Ether(bytes(frames[which][0]))
            agg[TCP].chksum = Ether(merged([agg]))[TCP].chksum
            want = bytes(agg)
            want_flags = "tso,csum"
        else:
            want = bytes(frames[which][0])
            want_flags = "-"
        if flags != want_flags or ours != want:
            fail("gro %s: packet %d is %s, expected %s %s"
                 % (case, i, flags, kind, which), ours, want)
    print("ok gro %s: %d frames in, %d packets out; %s"
          % (case, len(frames), len(packets), totals))


# A daemon's TSO output, from a capture.

SEGSZ_PAYLOAD = 2000


def segsz_packet(which):
    return inner_packet(which == "inner6", SEGSZ_PAYLOAD, flags="PA")


def gre_frames(pcap):
    """The GRE frames in capture 'pcap', as bytes."""
    frames = []
    for f in rdpcap(pcap):
        ip = f.payload
        if ((isinstance(ip, IP) and ip.proto == 47)
                or (isinstance(ip, IPv6) and ip.nh == 47)):
            frames.append(bytes(f))
    return frames


def check_segsz(which, segsz, pcap):
    big = segsz_packet(which)
    ref = segment(big, segsz)
    frames = gre_frames(pcap)
    name = "%s at %d bytes" % (which, segsz)
    if len(frames) != len(ref):
        fail("%s: %d GRE frames, expected %d" % (name, len(frames),
                                                  len(ref)))
    gre = Ether(frames[0]).payload.payload
    seq0 = gre.sequence_number if gre.seqnum_present else 0
    for i, (ours, r) in enumerate(zip(frames, ref)):
        want = rewrap(frames[0], r, seq0 + i, i)
        if ours != want:
            fail("%s: segment %d" % (name, i), ours, want)
    print("ok %s: %d segments, GRE seq %s" % (
        name, len(ref), "%d.." % seq0 if gre.seqnum_present else "none"))


def check_whole(which, pcap):
    frames = gre_frames(pcap)
    if len(frames) != 1:
        fail("%s: %d GRE frames, expected one" % (which, len(frames)))
    want = rewrap(frames[0], segsz_packet(which), 0)
    if frames[0] != want:
        fail("%s: the frame" % which, frames[0], want)
    print("ok %s: one GRE frame of %d bytes" % (which, len(frames[0])))


def main():
    tool, what = sys.argv[1], sys.argv[2]
    if what == "segsz-packet":
        print(bytes(segsz_packet(sys.argv[3])).hex())
        return
    elif what == "segsz-check":
        check_segsz(sys.argv[3], int(sys.argv[4]), sys.argv[5])
        return
    elif what == "gro-pcap":
        wrpcap(sys.argv[3], [Ether(rx_frame(seg(i), key=42))
                             for i in range(4)])
        return
    elif what == "whole-check":
        check_whole(sys.argv[3], sys.argv[4])
        return
    if what == "gso":
        check_gso(tool, sys.argv[3])
    elif what == "gso-learned":
        check_gso(tool, sys.argv[3], int(sys.argv[4]))
    elif what == "resegment":
        check_resegment(tool)
    elif what == "gro":
        check_gro(tool, sys.argv[3])
    else:
        sys.exit("offload-ref.py: unknown check %s" % what)


if __name__ == "__main__":
    main()
