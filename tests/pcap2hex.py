#! /usr/bin/env python3
# Prints the frames of a pcap file as hex, one per line, for the tests.
#
# usage: pcap2hex.py [--gre4] [--to-port] FILE
#
#   --gre4     only IPv4 packets whose protocol is GRE (47)
#   --to-port  rewrite those as sent by 192.0.2.2 (f8:bc:12:44:34:b6) to
#              192.0.2.1 (aa:55:aa:55:00:00), the endpoints of the test
#              topology, with the IPv4 header checksum recomputed
#
# Ethernet captures are printed as they are (less a trailing FCS when the
# link type says there is one); raw IP captures get an Ethernet header.

import struct
import sys

LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LOCAL_MAC = bytes.fromhex("aa55aa550000")
REMOTE_MAC = bytes.fromhex("f8bc124434b6")
LOCAL_IP = bytes([192, 0, 2, 1])
REMOTE_IP = bytes([192, 0, 2, 2])


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        endian = "<"
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        endian = ">"
    else:
        raise SystemExit("%s: not a pcap file" % path)
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    # Bits 28-31 may say that frames end with a frame check sequence.
    fcs_len = 2 * ((linktype >> 29) & 0x7) if linktype & 0x10000000 else 0
    linktype &= 0x0fffffff
    ofs = 24
    while ofs + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[ofs + 8:ofs + 12])[0]
        frame = data[ofs + 16:ofs + 16 + incl]
        ofs += 16 + incl
        if fcs_len and len(frame) >= fcs_len:
            frame = frame[:-fcs_len]
        if linktype == LINKTYPE_RAW:
            ethertype = 0x86dd if frame and frame[0] >> 4 == 6 else 0x0800
            frame = REMOTE_MAC + LOCAL_MAC + struct.pack("!H", ethertype) \
                + frame
        elif linktype != LINKTYPE_ETHERNET:
            raise SystemExit("%s: link type %d" % (path, linktype))
        yield frame


def ip_checksum(header):
    total = 0
    for i in range(0, len(header), 2):
        total += (header[i] << 8) + header[i + 1]
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def gre4_offset(frame):
    """Returns the offset of the IPv4 header of a GRE-over-IPv4 frame
    (after any VLAN tags), or None."""
    ofs = 12
    while len(frame) >= ofs + 2:
        ethertype = struct.unpack("!H", frame[ofs:ofs + 2])[0]
        if ethertype in (0x8100, 0x88a8):
            ofs += 4
            continue
        if ethertype != 0x0800 or len(frame) < ofs + 2 + 20:
            return None
        ip = ofs + 2
        if frame[ip] >> 4 != 4 or frame[ip + 9] != 47:
            return None
        return ip
    return None


def to_port(frame, ip):
    ihl = (frame[ip] & 0xf) * 4
    header = bytearray(frame[ip:ip + ihl])
    header[10:12] = b"\0\0"
    header[12:16] = REMOTE_IP
    header[16:20] = LOCAL_IP
    header[10:12] = struct.pack("!H", ip_checksum(bytes(header)))
    return LOCAL_MAC + REMOTE_MAC + b"\x08\x00" + bytes(header) \
        + frame[ip + ihl:]


def main():
    args = sys.argv[1:]
    gre4 = "--gre4" in args
    rewrite = "--to-port" in args
    files = [a for a in args if not a.startswith("--")]
    for path in files:
        for frame in read_pcap(path):
            if gre4 or rewrite:
                ip = gre4_offset(frame)
                if ip is None:
                    continue
                if rewrite:
                    frame = to_port(frame, ip)
            print(frame.hex())


if __name__ == "__main__":
    main()
