#! /usr/bin/python3
# Packets for ovs-gre's keepalive tests, written with scapy.
#
# usage: keepalive-ref.py keepalive FAMILY KEY
#            prints in hex the keepalive that a gre (FAMILY 4) or ip6gre (6)
#            port with key KEY from 192.0.2.1 (2001:db8::1) to 192.0.2.2
#            (2001:db8::2) sends, up to its 32-byte proof, which it leaves
#            out: Ethernet to f8:bc:12:44:34:b6 from aa:55:aa:55:00:00, outer
#            IP with DF and TTL 64, GRE with the key, protocol 0x0800
#            (0x86dd), then the answer: IP from the peer to
#            us, TTL 255, GRE protocol 0 with the key.
#        keepalive-ref.py reply HEX [key=N] [flip=N]
#            prints the frame that arrives back at us when the peer routes
#            the answer inside the keepalive frame HEX: the inner packet,
#            one hop less, in an Ethernet frame from f8:bc:12:44:34:b6 to
#            aa:55:aa:55:00:00.  key=N puts key N in its GRE header; flip=N
#            inverts byte N of its proof (a forgery).
#        keepalive-ref.py peer FAMILY [key=N] [inner-key=N] [src=ADDR]
#                               [dst=ADDR] [proto=N] [ttl=N]
#            prints in hex a keepalive that the peer (192.0.2.2 or
#            2001:db8::2) sends us (192.0.2.1 or 2001:db8::1) with key N
#            (default 42): GRE protocol 0x0800 (0x86dd) carrying an IP
#            packet from SRC (default us) to DST (default the peer), TTL
#            N (default 255), protocol GRE, whose GRE header has protocol
#            PROTO (default 0) and key inner-key (default the key).
#        keepalive-ref.py reflected HEX
#            prints what we must send back for the peer's keepalive HEX:
#            its inner packet, one hop less, from aa:55:aa:55:00:00 to
#            f8:bc:12:44:34:b6.
#        keepalive-ref.py csums HEX
#            prints "ok" if every IPv4 and GRE checksum in the frame HEX is
#            right, as scapy computes them, otherwise what is wrong.
#        keepalive-ref.py pcap FILE INDEX [untag] [dst=MAC]
#            prints frame INDEX (from 0) of FILE, without its VLAN tag if
#            "untag", with destination MAC address MAC if given.
#        keepalive-ref.py ip HEX
#            prints the IP packet in the frame HEX (without Ethernet header
#            or VLAN tags).

import sys

from scapy.all import GRE, IP, IPv6, Dot1Q, Ether, Raw, rdpcap

US_MAC = "aa:55:aa:55:00:00"
PEER_MAC = "f8:bc:12:44:34:b6"


def hexprint(pkt):
    print(bytes(pkt).hex())


def keepalive(family, key):
    if family == "4":
        us, peer = "192.0.2.1", "192.0.2.2"
        outer = IP(src=us, dst=peer, ttl=64, flags="DF", id=0)
        inner = IP(src=peer, dst=us, ttl=255, id=0)
        proto = 0x0800
    else:
        us, peer = "2001:db8::1", "2001:db8::2"
        outer = IPv6(src=us, dst=peer, hlim=64)
        inner = IPv6(src=peer, dst=us, hlim=255)
        proto = 0x86DD
    answer = inner / GRE(key_present=1, key=key, proto=0) / Raw(b"\0" * 32)
    frame = (Ether(src=US_MAC, dst=PEER_MAC) / outer
             / GRE(key_present=1, key=key, proto=proto) / answer)
    print(bytes(frame)[:-32].hex())


def peer(family, args):
    opts = dict(a.split("=", 1) for a in args)
    key = int(opts.get("key", 42))
    inner_key = int(opts.get("inner-key", key))
    if family == "4":
        us, them = "192.0.2.1", "192.0.2.2"
        src, dst = opts.get("src", us), opts.get("dst", them)
        outer = IP(src=them, dst=us, ttl=64, id=0)
        inner = IP(src=src, dst=dst, ttl=int(opts.get("ttl", 255)), id=7)
        proto = 0x0800
    else:
        us, them = "2001:db8::1", "2001:db8::2"
        src, dst = opts.get("src", us), opts.get("dst", them)
        outer = IPv6(src=them, dst=us, hlim=64)
        inner = IPv6(src=src, dst=dst, hlim=int(opts.get("ttl", 255)))
        proto = 0x86DD
    frame = (Ether(src=PEER_MAC, dst=US_MAC) / outer
             / GRE(key_present=1, key=key, proto=proto)
             / inner / GRE(key_present=1, key=inner_key,
                           proto=int(opts.get("proto", "0"), 0))
             / Raw(b"peer's own proof"))
    hexprint(frame)


def reflected(hexframe):
    ans = answer_of(bytes.fromhex(hexframe))
    if ans[0] >> 4 == 6:
        pkt = IPv6(ans)
        pkt.hlim -= 1
        eth_type = 0x86DD
    else:
        pkt = IP(ans)
        pkt.ttl -= 1
        del pkt.chksum
        eth_type = 0x0800
    hexprint(Ether(src=US_MAC, dst=PEER_MAC, type=eth_type)
             / Raw(bytes(pkt)))


def csums(hexframe):
    data = bytes.fromhex(hexframe)
    pkt = Ether(data)
    wrong = []
    layer = pkt
    while layer:
        if isinstance(layer, (IP, GRE)) and getattr(layer, "chksum", None) \
           is not None and (not isinstance(layer, GRE)
                            or layer.chksum_present):
            copy = layer.copy()
            copy.chksum = None
            if isinstance(copy, GRE):
                copy.offset = None
            fixed = type(layer)(bytes(copy))
            if fixed.chksum != layer.chksum:
                wrong.append("%s checksum %#x, should be %#x"
                             % (layer.name, layer.chksum, fixed.chksum))
        layer = layer.payload if layer.payload else None
    print("; ".join(wrong) if wrong else "ok")


def answer_of(frame):
    pkt = Ether(frame)
    payload = pkt[GRE].payload
    return bytes(payload)


def reply(hexframe, args):
    ans = bytearray(answer_of(bytes.fromhex(hexframe)))
    ipv6 = ans[0] >> 4 == 6
    if ipv6:
        pkt = IPv6(bytes(ans))
        pkt.hlim -= 1
    else:
        pkt = IP(bytes(ans))
        pkt.ttl -= 1
        del pkt.chksum
    for a in args:
        if a.startswith("key="):
            pkt[GRE].key = int(a[4:])
    data = bytearray(bytes(pkt))
    for a in args:
        if a.startswith("flip="):
            data[len(data) - 32 + int(a[5:])] ^= 0xff
    hexprint(Ether(src=PEER_MAC, dst=US_MAC,
                   type=0x86DD if ipv6 else 0x0800) / Raw(bytes(data)))


def from_pcap(path, index, args):
    pkt = rdpcap(path)[index]
    if "untag" in args and Dot1Q in pkt:
        eth = pkt[Ether]
        pkt = Ether(src=eth.src, dst=eth.dst, type=pkt[Dot1Q].type) \
            / pkt[Dot1Q].payload
    for a in args:
        if a.startswith("dst="):
            pkt[Ether].dst = a[4:]
    hexprint(pkt)


def ip_of(hexframe):
    pkt = Ether(bytes.fromhex(hexframe))
    layer = pkt[IP] if IP in pkt else pkt[IPv6]
    hexprint(layer)


def main():
    cmd = sys.argv[1]
    if cmd == "keepalive":
        keepalive(sys.argv[2], int(sys.argv[3]))
    elif cmd == "reply":
        reply(sys.argv[2], sys.argv[3:])
    elif cmd == "peer":
        peer(sys.argv[2], sys.argv[3:])
    elif cmd == "reflected":
        reflected(sys.argv[2])
    elif cmd == "csums":
        csums(sys.argv[2])
    elif cmd == "pcap":
        from_pcap(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    elif cmd == "ip":
        ip_of(sys.argv[2])
    else:
        sys.exit("unknown command %s" % cmd)


if __name__ == "__main__":
    main()
