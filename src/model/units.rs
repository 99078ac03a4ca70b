//! Units shared by every rule: PHP's shorthand bytes (`128M`), Kubernetes
//! quantities (`512Mi`, `250m`) and durations.
//!
//! PHP: `zend_ini_parse_quantity` (php-src Zend/zend_ini.c), 1024-based `k/m/g`.
//! Kubernetes: `resource.Quantity` (apimachinery pkg/api/resource), decimal
//! SI suffixes (`k M G T P E`, `m` for milli), binary suffixes (`Ki Mi Gi Ti Pi
//! Ei`) and decimal exponents (`1e3`, `1E6`).

/// Shorthand bytes as `zend_ini_parse_quantity` reads them (PHP 8.2+).
#[derive(Debug, PartialEq, Eq)]
pub enum Quantity {
    Ok(i64),
    /// No leading digits: PHP uses 0 (with a startup warning).
    NoDigits,
    /// Digits followed by something that is not k/m/g: PHP ignores the rest.
    BadMultiplier {
        value: i64,
        suffix: String,
    },
}

pub fn parse_quantity(s: &str) -> Quantity {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits_start) = if lower.starts_with("0x") {
        (16, 2)
    } else if lower.starts_with("0o") {
        (8, 2)
    } else if lower.starts_with("0b") {
        (2, 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, 1)
    } else {
        (10, 0)
    };
    let rest = &body[digits_start.min(body.len())..];
    let n_digits = rest.chars().take_while(|c| c.is_digit(radix)).count();
    if n_digits == 0 {
        return if radix == 8 && digits_start == 1 {
            Quantity::Ok(0)
        } else {
            Quantity::NoDigits
        };
    }
    let digits = &rest[..n_digits];
    let mut value = i64::from_str_radix(digits, radix).unwrap_or(i64::MAX);
    let suffix = rest[n_digits..].trim();
    let factor: i64 = match suffix {
        "" => 1,
        "k" | "K" => 1 << 10,
        "m" | "M" => 1 << 20,
        "g" | "G" => 1 << 30,
        _ => {
            return Quantity::BadMultiplier {
                value: if neg { -value } else { value },
                suffix: suffix.to_owned(),
            };
        }
    };
    value = value.saturating_mul(factor);
    Quantity::Ok(if neg { -value } else { value })
}

/// Bytes as a short human string (`128M`, `1G`, `1536K`).
pub fn human_bytes(n: i64) -> String {
    for (unit, f) in [("G", 1i64 << 30), ("M", 1 << 20), ("K", 1 << 10)] {
        if n != 0 && n % f == 0 {
            return format!("{}{unit}", n / f);
        }
    }
    n.to_string()
}

/// A Kubernetes quantity, exact to the milli-unit: `value_milli` is the
/// quantity times 1000 (`250m` CPU is 250, `1Gi` memory is 1024^3 * 1000).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct K8sQuantity {
    pub value_milli: i128,
}

impl K8sQuantity {
    /// Whole units, rounded up (bytes for memory, cores for CPU).
    pub fn units_ceil(self) -> i128 {
        (self.value_milli + 999).div_euclid(1000)
    }

    /// As bytes (memory); fractions of a byte round up, as Kubernetes does.
    pub fn bytes(self) -> i128 {
        self.units_ceil()
    }

    /// As millicores (CPU).
    pub fn millis(self) -> i128 {
        self.value_milli
    }
}

/// Parses a Kubernetes quantity string. `None` when it is not one (the
/// schema rules report that). Numbers beyond what a quantity can hold are
/// refused rather than wrapped.
pub fn parse_k8s_quantity(s: &str) -> Option<K8sQuantity> {
    let t = s.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    let (neg, body) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let num_len = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (num, suffix) = body.split_at(num_len);
    if num.is_empty() || num == "." || num.matches('.').count() > 1 {
        return None;
    }
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
    // Value as an integer mantissa and a power of ten.
    let digits = format!("{int_part}{frac_part}");
    let mantissa: i128 = digits.trim_start_matches('0').parse().unwrap_or(0);
    if digits.trim_start_matches('0').len() > 30 {
        return None;
    }
    let mut exp10: i32 = -(frac_part.len() as i32);
    let mut factor: i128 = 1;
    match suffix {
        "" => {}
        "m" => exp10 -= 3,
        "k" => exp10 += 3,
        "M" => exp10 += 6,
        "G" => exp10 += 9,
        "T" => exp10 += 12,
        "P" => exp10 += 15,
        "E" => exp10 += 18,
        "Ki" => factor = 1 << 10,
        "Mi" => factor = 1 << 20,
        "Gi" => factor = 1 << 30,
        "Ti" => factor = 1 << 40,
        "Pi" => factor = 1 << 50,
        "Ei" => factor = 1 << 60,
        s if s.starts_with(['e', 'E']) => {
            let e: i32 = s[1..].parse().ok()?;
            if !(-30..=30).contains(&e) {
                return None;
            }
            exp10 += e;
        }
        _ => return None,
    }
    // milli-units: one more factor of 10^3.
    exp10 += 3;
    let mut v = mantissa.checked_mul(factor)?;
    if exp10 >= 0 {
        v = v.checked_mul(10i128.checked_pow(exp10 as u32)?)?;
    } else {
        let d = 10i128.checked_pow((-exp10) as u32)?;
        // Round up: Kubernetes never rounds a quantity down to zero.
        v = (v + d - 1) / d;
    }
    Some(K8sQuantity {
        value_milli: if neg { -v } else { v },
    })
}

/// Bytes as a Kubernetes-style string (`512Mi`, `1Gi`, `1500M`).
pub fn human_k8s_bytes(n: i128) -> String {
    for (unit, f) in [("Gi", 1i128 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if n != 0 && n % f == 0 {
            return format!("{}{unit}", n / f);
        }
    }
    n.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_quantities() {
        let b = |s: &str| parse_k8s_quantity(s).map(K8sQuantity::bytes);
        let m = |s: &str| parse_k8s_quantity(s).map(K8sQuantity::millis);
        assert_eq!(b("512Mi"), Some(512 << 20));
        assert_eq!(b("1Gi"), Some(1 << 30));
        assert_eq!(b("1G"), Some(1_000_000_000));
        assert_eq!(b("128974848"), Some(128_974_848));
        assert_eq!(b("129e6"), Some(129_000_000));
        assert_eq!(b("1.5Gi"), Some(3 << 29));
        assert_eq!(m("250m"), Some(250));
        assert_eq!(m("0.5"), Some(500));
        assert_eq!(m("2"), Some(2000));
        assert_eq!(m("1k"), Some(1_000_000));
        assert_eq!(b("0.1m"), Some(1));
        assert_eq!(b("12MB"), None);
        assert_eq!(b("abc"), None);
        assert_eq!(b(""), None);
        assert_eq!(b("1.2.3"), None);
        assert_eq!(b("99999999999999999999999999999999999Ei"), None);
        assert_eq!(human_k8s_bytes(512 << 20), "512Mi");
    }
}
