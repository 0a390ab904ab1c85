/// The dnspython side of ZoneFileDifferentialTests, written to a temporary file and run with
/// the venv's python (kept here rather than as a .py resource so the test target needs no
/// resource rules in Package.swift).
enum DNSPythonPeer {
    static let script = #"""
#!/usr/bin/env python3
"""Differential peer for ZoneFileDifferentialTests: dnspython reads zones and messages and prints
each record as wire hex, so the Swift test can compare with its own parser record by record.

Usage: dnspython_canonical.py ZONES_LIST MESSAGES_FILE
  ZONES_LIST     lines "ORIGIN PATH": zone files to read (origin absolute).
  MESSAGES_FILE  one DNS message per line, in hex.
Output, one line per record (OPT left out):
  Z <zone#> <plain> <canonical>            plain = owner|type|class|ttl|rdlen|rdata, uncompressed,
  M <msg#> <section#> <plain> <canonical>  case kept; canonical = RFC 4034 6.2 form (to_digestable)
  E <Z|M> <#> <error text>                 the input was refused
"""
import struct
import sys

import dns.message
import dns.name
import dns.rdataclass
import dns.zone


def rr_hex(name, ttl, rdata):
    header = struct.pack("!HHIH", rdata.rdtype, rdata.rdclass, ttl, 0)
    plain_rdata = rdata.to_wire()
    canonical_rdata = rdata.to_digestable()
    plain = name.to_wire() + header[:-2] + struct.pack("!H", len(plain_rdata)) + plain_rdata
    canonical = (name.canonicalize().to_wire() + header[:-2]
                 + struct.pack("!H", len(canonical_rdata)) + canonical_rdata)
    return plain.hex() + " " + canonical.hex()


def main():
    out = sys.stdout
    with open(sys.argv[1]) as listing:
        for index, line in enumerate(listing):
            origin, path = line.split(" ", 1)
            try:
                zone = dns.zone.from_file(path.strip(), origin=origin, relativize=False,
                                          check_origin=False)
                for name, ttl, rdata in zone.iterate_rdatas():
                    out.write(f"Z {index} {rr_hex(name, ttl, rdata)}\n")
            except Exception as error:  # report, let the test decide
                out.write(f"E Z {index} {type(error).__name__}: {error}\n".replace("\n", " ") + "\n")
    with open(sys.argv[2]) as messages:
        for index, line in enumerate(messages):
            try:
                message = dns.message.from_wire(bytes.fromhex(line.strip()))
                for section_index, section in enumerate(
                        (message.answer, message.authority, message.additional)):
                    for rrset in section:
                        for rdata in rrset:
                            out.write(f"M {index} {section_index + 1} "
                                      f"{rr_hex(rrset.name, rrset.ttl, rdata)}\n")
            except Exception as error:
                out.write(f"E M {index} {type(error).__name__}: {error}".replace("\n", " ") + "\n")


if __name__ == "__main__":
    main()
"""#
}
