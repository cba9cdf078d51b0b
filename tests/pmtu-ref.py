#! /usr/bin/python3
# Packets for ovs-gre's path MTU tests, and their expected results, written
# with scapy.
#
# usage: pmtu-ref.py frame FAMILY SIZE [df|nodf] [l3] [vlan]
#            prints in hex an inner packet of SIZE bytes of IP (FAMILY 4 or
#            6): UDP from 198.51.100.1 to 198.51.100.2 (2001:db8:1::1 to
#            2001:db8:1::2), in an Ethernet frame from 50:54:00:00:00:01 to
#            50:54:00:00:00:02 (with VLAN 10 if "vlan") unless "l3".
#        pmtu-ref.py icmp HEX MTU [l3]
#            prints the ICMP Fragmentation Needed or ICMPv6 Packet Too Big
#            that the sender of the frame HEX must get for tunnel MTU MTU:
#            swapped addresses, 576 or 1280 bytes at most, checksums as
#            scapy computes them.
#        pmtu-ref.py frags HEX MTU [l3]
#            prints the fragments (one hex line each) of the IPv4 packet in
#            frame HEX that fit in MTU bytes, as RFC 791 cuts them.
#        pmtu-ref.py outer-frags HEX SIZE [ORDER] [id=N] [count=N] [ipv6]
#            prints the fragments (one hex line each) of the GRE packet
#            (key 42, from 192.0.2.2 to 192.0.2.1, or with "ipv6" from
#            2001:db8::2 to 2001:db8::1 with Fragment headers) carrying the
#            frame HEX,
#            cut so that each has SIZE bytes of payload at most.  ORDER is
#            "in" (default), "reversed", "twice" (each fragment twice in a
#            row), "overlap" (the second fragment starts 8 bytes early),
#            "nolast" (the last one left out), "first" (the first one
#            only) or "huge" (the last one moved to an offset that ends
#            beyond 65535 bytes).  With count=N, the same for N datagrams
#            with identifications from id=N (default 7) on.
#        pmtu-ref.py check-outer-frags FILE HEX MTU GRE-LEN
#            the frames in FILE (one hex line each) must be the outer IPv4
#            or IPv6 fragments, of at most MTU bytes of IP, of one GRE
#            packet with a GRE-LEN-byte header carrying the frame HEX:
#            one identification, offsets that follow on, MF on all but the
#            last, no DF, correct IPv4 checksums; prints "ok" and the
#            fragments' payload lengths.
#        pmtu-ref.py underlay-icmp FAMILY MTU [key=N] [src=ADDR] [quote=N]
#                                  [erspan]
#            prints an ICMP Fragmentation Needed (FAMILY 4) or ICMPv6
#            Packet Too Big (6) that says MTU, to 192.0.2.1 (2001:db8::1)
#            from a router, quoting N bytes (default 128) of a GRE packet
#            with key N (default 42), or of ERSPAN type II, from ADDR
#            (default 192.0.2.1 or 2001:db8::1) to 192.0.2.2
#            (2001:db8::2).
#        pmtu-ref.py syn FAMILY MSS [synack]
#            prints a TCP SYN (or SYN-ACK) over IP of FAMILY in an Ethernet
#            frame, whose MSS option is MSS at an odd offset (after a NOP).
#        pmtu-ref.py check-syn HEX MSS
#            the TCP segment in the frame HEX must announce MSS and have a
#            correct checksum; prints "ok".

import sys

from scapy.all import (GRE, ICMP, IP, TCP, UDP, Dot1Q, Ether,
                       ICMPv6PacketTooBig, IPv6, IPv6ExtHdrFragment, Raw,
                       fragment)

SRC_MAC = "50:54:00:00:00:01"
DST_MAC = "50:54:00:00:00:02"
ADDRS = {4: ("198.51.100.1", "198.51.100.2"),
         6: ("2001:db8:1::1", "2001:db8:1::2")}


def l2(vlan):
    eth = Ether(src=SRC_MAC, dst=DST_MAC)
    return eth / Dot1Q(vlan=10) if vlan else eth


def frame(family, size, df, l3, vlan):
    src, dst = ADDRS[family]
    if family == 4:
        ip = IP(src=src, dst=dst, id=0x1234, flags="DF" if df else 0)
        payload = size - 20 - 8
    else:
        ip = IPv6(src=src, dst=dst)
        payload = size - 40 - 8
    pkt = ip / UDP(sport=1000, dport=2000) / Raw(bytes(
        (i % 251 for i in range(payload))))
    return pkt if l3 else l2(vlan) / pkt


def split(hexstr, l3):
    data = bytes.fromhex(hexstr)
    if l3:
        return None, data
    n = 14
    while data[n - 2:n] in (b"\x81\x00", b"\x88\xa8"):
        n += 4
    return data[:n], data[n:]


def reversed_l2(head):
    # The same header with source and destination exchanged.
    return head[6:12] + head[0:6] + head[12:]


def icmp(hexstr, mtu, l3):
    head, ip = split(hexstr, l3)
    if ip[0] >> 4 == 4:
        orig = IP(ip)
        err = (IP(src=orig.dst, dst=orig.src, tos=0xc0, ttl=64, id=0)
               / ICMP(type=3, code=4, nexthopmtu=mtu)
               / Raw(ip[:576 - 28]))
    else:
        orig = IPv6(ip)
        err = (IPv6(src=orig.dst, dst=orig.src, hlim=64)
               / ICMPv6PacketTooBig(mtu=mtu) / Raw(ip[:1280 - 48]))
    err = bytes(err)
    return err if head is None else reversed_l2(head) + err


def frags(hexstr, mtu, l3):
    head, ip = split(hexstr, l3)
    out = []
    for f in fragment(IP(ip), fragsize=(mtu - 20) & ~7):
        del f.chksum
        b = bytes(f)
        out.append(b if head is None else head + b)
    return out


def outer_frags(hexstr, size, order, ident, family):
    # The pieces of the GRE packet, as (offset, bytes, more fragments).
    gre = bytes(GRE(key_present=1, key=42, proto=0x6558)
                / Raw(bytes.fromhex(hexstr)))
    pieces = [(off, gre[off:off + size], off + size < len(gre))
              for off in range(0, len(gre), size)]
    if order == "overlap":
        # The second fragment takes the last 8 bytes of the first too.
        off, data, more = pieces[1]
        pieces[1] = (off - 8, pieces[0][1][-8:] + data, more)
    elif order == "huge":
        # The last one ends beyond 65535 bytes.
        off, data, more = pieces[-1]
        pieces[-1] = (((65535 - len(data)) // 8 + 1) * 8, data, more)
    out = []
    for off, data, more in pieces:
        eth = Ether(src="f8:bc:12:44:34:b6", dst="aa:55:aa:55:00:00")
        if family == 6:
            pkt = (eth / IPv6(src="2001:db8::2", dst="2001:db8::1")
                   / IPv6ExtHdrFragment(nh=47, offset=off // 8, m=int(more),
                                        id=ident)
                   / Raw(data))
        else:
            pkt = (eth / IP(src="192.0.2.2", dst="192.0.2.1", id=ident,
                            proto=47, flags="MF" if more else 0,
                            frag=off // 8)
                   / Raw(data))
        out.append(bytes(pkt))
    if order == "reversed":
        out.reverse()
    elif order == "twice":
        out = [f for f in out for _ in (0, 1)]
    elif order == "nolast":
        out = out[:-1]
    elif order == "first":
        out = out[:1]
    return out


def check_outer_frags(path, inner, mtu, gre_len):
    # The frames in file 'path' (one hex line each) must be the outer
    # fragments, of at most 'mtu' bytes of IP each, of one GRE packet whose
    # header is 'gre_len' bytes and whose payload is the frame 'inner'.
    frames = [bytes.fromhex(line.strip()) for line in open(path)
              if line.strip()]
    pieces, ids, family = [], set(), None
    for f in frames:
        eth = Ether(f)
        if eth.type == 0x86dd:
            family = 6
            ip6 = eth[IPv6]
            fh = eth[IPv6ExtHdrFragment]
            if ip6.nh != 44 or fh.nh != 47:
                sys.exit("a fragment's Fragment header does not follow the "
                         "IPv6 header or does not carry GRE")
            if 40 + ip6.plen > mtu or 14 + 40 + ip6.plen != len(f):
                sys.exit("fragment of %d bytes of IP" % (40 + ip6.plen))
            ids.add(fh.id)
            pieces.append((fh.offset * 8, bytes(fh.payload), fh.m))
        else:
            family = 4
            ip = eth[IP]
            csum = ip.chksum
            del ip.chksum
            if IP(bytes(ip))[IP].chksum != csum:
                sys.exit("IPv4 header checksum %#06x is wrong" % csum)
            if ip.flags.DF:
                sys.exit("a fragment has DF")
            if ip.len > mtu or 14 + ip.len != len(f) or ip.proto != 47:
                sys.exit("fragment of %d bytes of IP" % ip.len)
            ids.add(ip.id)
            pieces.append((ip.frag * 8, f[14 + ip.ihl * 4:14 + ip.len],
                           ip.flags.MF))
    if len(frames) < 2 or len(ids) != 1:
        sys.exit("%d fragments with %d identifications"
                 % (len(frames), len(ids)))
    payload = b""
    for i, (off, data, more) in enumerate(pieces):
        last = i == len(pieces) - 1
        if off != len(payload) or bool(more) == last:
            sys.exit("fragment %d: offset %d, MF %d" % (i, off, more))
        if not last and len(data) % 8:
            sys.exit("fragment %d: %d bytes" % (i, len(data)))
        payload += data
    if payload[gre_len:] != bytes.fromhex(inner):
        sys.exit("the reassembled payload is not the inner frame")
    print("ok: IPv%d, %d fragments, %s" % (family, len(frames),
                                           " ".join(str(len(p[1]))
                                                    for p in pieces)))


def underlay_icmp(family, mtu, key, src, quote, erspan):
    # An ICMP error from a router (198.51.100.254 is not on the way: its
    # source does not matter) about one of the outer packets that a gre
    # port with 'key' (or an ERSPAN type II port) sends from 'src' (our
    # endpoint by default) to the remote endpoint, quoting 'quote' bytes of
    # it.
    if erspan:
        gre = GRE(seqnum_present=1, proto=0x88be) / Raw(bytes(100))
    else:
        gre = GRE(key_present=1, key=key, proto=0x6558) / Raw(bytes(100))
    eth = Ether(src="f8:bc:12:44:34:b6", dst="aa:55:aa:55:00:00")
    if family == 6:
        quoted = bytes(IPv6(src=src or "2001:db8::1", dst="2001:db8::2",
                            nh=47, plen=len(gre)) / gre)[:quote]
        return (eth / IPv6(src="2001:db8:ff::1", dst="2001:db8::1")
                / ICMPv6PacketTooBig(mtu=mtu) / Raw(quoted))
    quoted = bytes(IP(src=src or "192.0.2.1", dst="192.0.2.2", proto=47,
                      flags="DF", len=20 + len(gre)) / gre)[:quote]
    return (eth / IP(src="198.51.100.254", dst="192.0.2.1")
            / ICMP(type=3, code=4, nexthopmtu=mtu) / Raw(quoted))


def tcp_syn(family, mss, synack):
    src, dst = ADDRS[family]
    ip = IP(src=src, dst=dst) if family == 4 else IPv6(src=src, dst=dst)
    # One NOP first puts the MSS value at an odd offset: the incremental
    # checksum must handle it.
    tcp = TCP(sport=40000, dport=80, flags="SA" if synack else "S",
              seq=1000, ack=2000 if synack else 0,
              options=[("NOP", None), ("MSS", mss), ("NOP", None),
                       ("NOP", None), ("NOP", None), ("WScale", 7)])
    return l2(False) / ip / tcp


def check_syn(hexstr, mss):
    pkt = Ether(bytes.fromhex(hexstr))
    tcp = pkt[TCP]
    got = dict(o for o in tcp.options if o[0] == "MSS").get("MSS")
    if got != mss:
        sys.exit("MSS is %s, not %d" % (got, mss))
    csum = tcp.chksum
    del tcp.chksum
    ref = pkt.__class__(bytes(pkt))[TCP].chksum
    if csum != ref:
        sys.exit("TCP checksum %#06x, should be %#06x" % (csum, ref))
    print("ok")


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "frame":
        print(bytes(frame(int(args[0]), int(args[1]), "nodf" not in args,
                          "l3" in args, "vlan" in args)).hex())
    elif cmd == "icmp":
        print(icmp(args[0], int(args[1]), "l3" in args).hex())
    elif cmd == "frags":
        for f in frags(args[0], int(args[1]), "l3" in args):
            print(f.hex())
    elif cmd == "outer-frags":
        order = next((a for a in args[2:] if "=" not in a and a != "ipv6"),
                     "in")
        ident = int(next((a[3:] for a in args[2:] if a.startswith("id=")),
                         7))
        count = int(next((a[6:] for a in args[2:]
                          if a.startswith("count=")), 1))
        family = 6 if "ipv6" in args[2:] else 4
        for i in range(count):
            for f in outer_frags(args[0], int(args[1]), order, ident + i,
                                 family):
                print(f.hex())
    elif cmd == "underlay-icmp":
        opts = dict(a.split("=", 1) for a in args[2:] if "=" in a)
        print(bytes(underlay_icmp(int(args[0]), int(args[1]),
                                  int(opts.get("key", 42)), opts.get("src"),
                                  int(opts.get("quote", 128)),
                                  "erspan" in args[2:])).hex())
    elif cmd == "check-outer-frags":
        check_outer_frags(args[0], args[1], int(args[2]), int(args[3]))
    elif cmd == "syn":
        print(bytes(tcp_syn(int(args[0]), int(args[1]),
                            "synack" in args)).hex())
    elif cmd == "check-syn":
        check_syn(args[0], int(args[1]))
    else:
        sys.exit("unknown command %s" % cmd)


if __name__ == "__main__":
    main(sys.argv)
