//! IP addresses as `std::net` reads them, without linking core's `net::parser` (3.8 KB of
//! wasm in every module, for a check on a few request fields and the base URL's host).
//!
//! The grammar is std's, step for step (`core::net::parser`): IPv4 is four decimal parts
//! of 1–3 digits, each ≤ 255 and without a leading zero; IPv6 is up to eight groups of 1–4
//! hex digits, at most one `::` standing for one or more zero groups, and an IPv4 address in
//! the last two groups. No zone ids, no brackets. A test compares both parsers on a corpus.

/// A cursor over the bytes of an address; every `read_*` restores the position on failure.
struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    /// Runs `f`, rewinding when it fails.
    fn atomically<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.at;
        let out = f(self);
        if out.is_none() {
            self.at = start;
        }
        out
    }

    fn read_char(&mut self, c: u8) -> Option<()> {
        self.atomically(|p| {
            (p.b.get(p.at) == Some(&c)).then(|| {
                p.at += 1;
            })
        })
    }

    /// `inner`, preceded by `sep` unless it is the first part (`index` 0).
    fn read_part<T>(
        &mut self,
        sep: u8,
        index: usize,
        inner: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<T> {
        self.atomically(|p| {
            if index > 0 {
                p.read_char(sep)?;
            }
            inner(p)
        })
    }

    /// A number of at most `max_digits` digits in `radix` (10 or 16) that fits `limit`; a
    /// leading zero only when `zero_prefix` allows it or the number is just `0`.
    fn read_number(
        &mut self,
        radix: u32,
        max_digits: usize,
        zero_prefix: bool,
        limit: u32,
    ) -> Option<u32> {
        self.atomically(|p| {
            let mut value: u32 = 0;
            let mut digits = 0;
            let first_zero = p.b.get(p.at) == Some(&b'0');
            while digits < max_digits {
                let Some(d) = p.b.get(p.at).and_then(|c| char::from(*c).to_digit(radix)) else {
                    break;
                };
                value = value * radix + d;
                if value > limit {
                    return None;
                }
                p.at += 1;
                digits += 1;
            }
            if digits == 0 || (!zero_prefix && first_zero && digits > 1) {
                None
            } else {
                Some(value)
            }
        })
    }

    fn read_ipv4(&mut self) -> Option<[u8; 4]> {
        self.atomically(|p| {
            let mut out = [0u8; 4];
            for (i, slot) in out.iter_mut().enumerate() {
                let n = p.read_part(b'.', i, |p| p.read_number(10, 3, false, 255))?;
                *slot = u8::try_from(n).ok()?;
            }
            Some(out)
        })
    }

    /// Reads up to `groups.len()` groups; an IPv4 address may fill the last two. Returns how
    /// many were read and whether an IPv4 address ended them.
    fn read_groups(&mut self, groups: &mut [u16]) -> (usize, bool) {
        let limit = groups.len();
        for i in 0..limit {
            if i + 1 < limit {
                if let Some([a, b, c, d]) = self.read_part(b':', i, |p| p.read_ipv4()) {
                    groups[i] = u16::from_be_bytes([a, b]);
                    groups[i + 1] = u16::from_be_bytes([c, d]);
                    return (i + 2, true);
                }
            }
            match self.read_part(b':', i, |p| p.read_number(16, 4, true, 0xffff)) {
                Some(g) => groups[i] = u16::try_from(g).unwrap_or_default(),
                None => return (i, false),
            }
        }
        (limit, false)
    }

    fn read_ipv6(&mut self) -> Option<[u16; 8]> {
        self.atomically(|p| {
            let mut head = [0u16; 8];
            let (head_size, head_ipv4) = p.read_groups(&mut head);
            if head_size == 8 {
                return Some(head);
            }
            if head_ipv4 {
                return None;
            }
            p.read_char(b':')?;
            p.read_char(b':')?;
            // `::` stands for at least one zero group.
            let mut tail = [0u16; 7];
            let limit = 8 - (head_size + 1);
            let (tail_size, _) = p.read_groups(&mut tail[..limit]);
            head[8 - tail_size..].copy_from_slice(&tail[..tail_size]);
            Some(head)
        })
    }
}

/// Runs `read` over the whole of `s`.
fn whole<T>(s: &str, read: impl FnOnce(&mut Cursor<'_>) -> Option<T>) -> Option<T> {
    let mut p = Cursor {
        b: s.as_bytes(),
        at: 0,
    };
    read(&mut p).filter(|_| p.at == p.b.len())
}

/// The four octets of a dotted-quad IPv4 address (`192.0.2.1`), as `Ipv4Addr::from_str`.
pub fn ipv4(s: &str) -> Option<[u8; 4]> {
    whole(s, |p| p.read_ipv4())
}

/// The eight groups of an IPv6 address (`2001:db8::1`), as `Ipv6Addr::from_str`.
pub fn ipv6(s: &str) -> Option<[u16; 8]> {
    whole(s, |p| p.read_ipv6())
}

/// Whether `s` is an IPv4 or IPv6 address, as `s.parse::<IpAddr>().is_ok()`.
pub fn is_ip(s: &str) -> bool {
    ipv4(s).is_some() || ipv6(s).is_some()
}

/// Whether `s` is a loopback address (`127.0.0.0/8` or `::1`), as `IpAddr::is_loopback`;
/// `false` for anything that is not an address.
pub fn is_loopback(s: &str) -> bool {
    match ipv4(s) {
        Some(a) => a[0] == 127,
        None => ipv6(s) == Some([0, 0, 0, 0, 0, 0, 0, 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    fn agrees(s: &str) {
        assert_eq!(
            ipv4(s),
            s.parse::<Ipv4Addr>().ok().map(|a| a.octets()),
            "ipv4 {s:?}"
        );
        assert_eq!(
            ipv6(s),
            s.parse::<Ipv6Addr>().ok().map(|a| a.segments()),
            "ipv6 {s:?}"
        );
        assert_eq!(is_ip(s), s.parse::<IpAddr>().is_ok(), "ip {s:?}");
        assert_eq!(
            is_loopback(s),
            s.parse::<IpAddr>().is_ok_and(|a| a.is_loopback()),
            "loopback {s:?}"
        );
    }

    #[test]
    fn the_forms_std_reads_and_refuses() {
        for s in [
            "192.0.2.1",
            "0.0.0.0",
            "255.255.255.255",
            "127.0.0.1",
            "127.255.0.9",
            "256.0.0.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.",
            ".1.2.3",
            "1..2.3",
            "1.2.3.4 ",
            "1234.1.1.1",
            "::",
            "::1",
            "::2",
            "1::",
            "2001:db8::1",
            "2001:DB8:0:0:0:0:0:1",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::",
            "::1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7::8",
            "1::2::3",
            ":::",
            ":1::",
            "::ffff:192.0.2.1",
            "::192.0.2.1",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1.2.3.4::",
            "1:2:3:4:5:1.2.3.4",
            "1:2:3:4:5::1.2.3.4",
            "12345::",
            "0000:0000::1",
            "00000::1",
            "fe80::1%eth0",
            "[::1]",
            "",
            "a",
            "localhost",
            "::ffff:1.2.3.04",
            "::ffff:256.1.1.1",
        ] {
            agrees(s);
        }
    }

    #[test]
    fn the_same_as_std_on_a_seeded_corpus() {
        // Strings over the characters addresses are made of, with a fixed seed: each read as
        // std reads it. 200,000 strings, including every address shape the corpus reaches.
        let alphabet = b"0123456789abcdefABCDEF:.:.:1";
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut v4, mut v6) = (0, 0);
        for _ in 0..200_000 {
            let len = (next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| char::from(alphabet[(next() % alphabet.len() as u64) as usize]))
                .collect();
            agrees(&s);
            v4 += usize::from(ipv4(&s).is_some());
            v6 += usize::from(ipv6(&s).is_some());
        }
        // Addresses built from parts (dotted quads, groups, `::`, embedded IPv4).
        let parts = [
            "0", "1", "01", "9", "10", "99", "100", "255", "256", "999", "00", "", "1234", "ffff",
            "FFFF", "db8", "12345", "a", "0000",
        ];
        for _ in 0..100_000 {
            let n = 1 + (next() % 9) as usize;
            let mut s = String::new();
            for i in 0..n {
                if i > 0 {
                    s.push_str([".", ":", "::", "."][(next() % 4) as usize]);
                }
                s.push_str(parts[(next() % parts.len() as u64) as usize]);
            }
            agrees(&s);
            v4 += usize::from(ipv4(&s).is_some());
            v6 += usize::from(ipv6(&s).is_some());
        }
        // Dotted quads (and threes and fives) of decimal parts.
        let decimal = [
            "0", "1", "01", "9", "10", "99", "100", "199", "255", "256", "999", "00", "", "1234",
            "a",
        ];
        for _ in 0..50_000 {
            let n = 3 + (next() % 3) as usize;
            let s: Vec<&str> = (0..n)
                .map(|_| decimal[(next() % decimal.len() as u64) as usize])
                .collect();
            let s = s.join(".");
            agrees(&s);
            agrees(&format!("::ffff:{s}"));
            v4 += usize::from(ipv4(&s).is_some());
        }
        // The corpus reaches addresses, not only refusals (the check can tell parsers apart).
        assert!(
            v4 > 100 && v6 > 100,
            "addresses in the corpus: {v4} IPv4, {v6} IPv6"
        );
        eprintln!("corpus: {v4} IPv4, {v6} IPv6 addresses");
    }
}
