//! Dates: `now` (the fixed [`Env::now`]), Go layout formatting (`date`,
//! `htmlDate`, …) and parsing (`toDate`), durations. Every zone is UTC:
//! Helm renders in the host's zone, which is UTC in CI containers, and
//! `dateInZone` falls back to UTC for zones Vigie has no data for (Go does
//! the same for zones it cannot load).

use std::rc::Rc;

use super::super::value::{GoObject, Value};
use super::arguments::{self, count};
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "now",
        function: now,
        generated: true,
    },
    FunctionDef {
        name: "ago",
        function: ago,
        generated: true,
    },
    def("date", date),
    def("dateInZone", date_in_zone),
    def("date_in_zone", date_in_zone),
    def("htmlDate", html_date),
    def("htmlDateInZone", html_date_in_zone),
    def("dateModify", date_modify),
    def("date_modify", date_modify),
    def("mustDateModify", must_date_modify),
    def("must_date_modify", must_date_modify),
    def("toDate", to_date),
    def("mustToDate", must_to_date),
    def("unixEpoch", unix_epoch),
    def("duration", duration),
    def("durationRound", duration_round),
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

/// A `time.Time` in UTC.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Time {
    seconds: i64,
    nanos: u32,
}

/// Days since 1970-01-01 to (year, month, day) (Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// The layout elements Go recognizes, longest first where they share a prefix.
const ELEMENTS: &[&str] = &[
    "January",
    "Monday",
    "Z07:00:00",
    "-07:00:00",
    "Z07:00",
    "-07:00",
    "Z0700",
    "-0700",
    "2006",
    "Jan",
    "Mon",
    "MST",
    "002",
    "Z07",
    "-07",
    "01",
    "02",
    "_2",
    "03",
    "04",
    "05",
    "06",
    "15",
    "PM",
    "pm",
    "1",
    "2",
    "3",
    "4",
    "5",
];

/// Splits a Go layout into elements and literal text.
fn layout_tokens(layout: &str) -> Vec<(bool, String)> {
    let mut tokens = Vec::new();
    let mut rest = layout;
    let mut literal = String::new();
    'outer: while !rest.is_empty() {
        // Fractional seconds: `.000`, `.999`, `,000`.
        let bytes = rest.as_bytes();
        if (bytes[0] == b'.' || bytes[0] == b',')
            && bytes.len() > 1
            && (bytes[1] == b'0' || bytes[1] == b'9')
        {
            let digit = bytes[1];
            let run = bytes[1..].iter().take_while(|&&b| b == digit).count();
            let after = bytes.get(1 + run);
            if after.is_none_or(|b| !b.is_ascii_digit()) {
                if !literal.is_empty() {
                    tokens.push((false, std::mem::take(&mut literal)));
                }
                tokens.push((true, rest[..1 + run].to_string()));
                rest = &rest[1 + run..];
                continue;
            }
        }
        for element in ELEMENTS {
            if rest.starts_with(element) {
                if !literal.is_empty() {
                    tokens.push((false, std::mem::take(&mut literal)));
                }
                tokens.push((true, element.to_string()));
                rest = &rest[element.len()..];
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        literal.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !literal.is_empty() {
        tokens.push((false, literal));
    }
    tokens
}

impl Time {
    fn now(env: &Env) -> Time {
        Time {
            seconds: env.now,
            nanos: 0,
        }
    }

    fn parts(&self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400) as u32;
        let (y, m, d) = civil(days);
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// Go's `Time.Format`.
    pub fn format(&self, layout: &str) -> String {
        let (year, month, day, hour, minute, second) = self.parts();
        let weekday = (self.seconds.div_euclid(86_400) + 4).rem_euclid(7) as usize;
        let mut out = String::new();
        for (element, text) in layout_tokens(layout) {
            if !element {
                out.push_str(&text);
                continue;
            }
            let hour12 = if hour % 12 == 0 { 12 } else { hour % 12 };
            match text.as_str() {
                "2006" => out.push_str(&format!("{year:04}")),
                "06" => out.push_str(&format!("{:02}", year.rem_euclid(100))),
                "01" => out.push_str(&format!("{month:02}")),
                "1" => out.push_str(&month.to_string()),
                "Jan" => out.push_str(&MONTHS[month as usize - 1][..3]),
                "January" => out.push_str(MONTHS[month as usize - 1]),
                "02" => out.push_str(&format!("{day:02}")),
                "2" => out.push_str(&day.to_string()),
                "_2" => out.push_str(&format!("{day:>2}")),
                "002" => {
                    let yday = self.seconds.div_euclid(86_400) - days_from_civil(year, 1, 1) + 1;
                    out.push_str(&format!("{yday:03}"));
                }
                "15" => out.push_str(&format!("{hour:02}")),
                "03" => out.push_str(&format!("{hour12:02}")),
                "3" => out.push_str(&hour12.to_string()),
                "04" => out.push_str(&format!("{minute:02}")),
                "4" => out.push_str(&minute.to_string()),
                "05" => out.push_str(&format!("{second:02}")),
                "5" => out.push_str(&second.to_string()),
                "PM" => out.push_str(if hour >= 12 { "PM" } else { "AM" }),
                "pm" => out.push_str(if hour >= 12 { "pm" } else { "am" }),
                "Mon" => out.push_str(&WEEKDAYS[weekday][..3]),
                "Monday" => out.push_str(WEEKDAYS[weekday]),
                "MST" => out.push_str("UTC"),
                "Z07:00:00" | "Z07:00" | "Z0700" | "Z07" => out.push('Z'),
                "-07:00:00" => out.push_str("+00:00:00"),
                "-07:00" => out.push_str("+00:00"),
                "-0700" => out.push_str("+0000"),
                "-07" => out.push_str("+00"),
                fraction => {
                    let digits = fraction.len() - 1;
                    let all = format!("{:09}", self.nanos);
                    let mut shown = all[..digits.min(9)].to_string();
                    if fraction.as_bytes()[1] == b'9' {
                        shown = shown.trim_end_matches('0').to_string();
                        if shown.is_empty() {
                            continue;
                        }
                    }
                    out.push(fraction.as_bytes()[0] as char);
                    out.push_str(&shown);
                }
            }
        }
        out
    }

    /// Go's `time.Parse` for numeric layouts, month names and UTC offsets.
    pub fn parse(layout: &str, text: &str) -> Result<Time, String> {
        let fail = |element: &str, rest: &str| {
            format!(
                "parsing time {} as {}: cannot parse {} as {}",
                super::strings::go_quote(text),
                super::strings::go_quote(layout),
                super::strings::go_quote(rest),
                super::strings::go_quote(element)
            )
        };
        let (mut year, mut month, mut day) = (1i64, 1u32, 1u32);
        let (mut hour, mut minute, mut second, mut nanos) = (0u32, 0u32, 0u32, 0u32);
        let mut pm: Option<bool> = None;
        let mut offset = 0i64;
        let mut rest = text;
        fn digits(rest: &str, min: usize, max: usize) -> Option<(u32, &str)> {
            let n = rest
                .bytes()
                .take(max)
                .take_while(u8::is_ascii_digit)
                .count();
            if n < min {
                return None;
            }
            Some((rest[..n].parse().ok()?, &rest[n..]))
        }
        for (element, token) in layout_tokens(layout) {
            if !element {
                let Some(after) = rest.strip_prefix(token.as_str()) else {
                    return Err(fail(&token, rest));
                };
                rest = after;
                continue;
            }
            let parsed: Option<&str> = match token.as_str() {
                "2006" => digits(rest, 4, 4).map(|(v, r)| {
                    year = i64::from(v);
                    r
                }),
                "06" => digits(rest, 2, 2).map(|(v, r)| {
                    year = i64::from(if v >= 69 { 1900 + v } else { 2000 + v });
                    r
                }),
                "01" | "1" => digits(rest, if token == "01" { 2 } else { 1 }, 2).map(|(v, r)| {
                    month = v;
                    r
                }),
                "Jan" | "January" => MONTHS.iter().enumerate().find_map(|(i, name)| {
                    let name = if token == "Jan" { &name[..3] } else { name };
                    rest.strip_prefix(name).inspect(|_| month = i as u32 + 1)
                }),
                "02" | "2" | "_2" => {
                    let trimmed = if token == "_2" {
                        rest.trim_start_matches(' ')
                    } else {
                        rest
                    };
                    digits(trimmed, if token == "02" { 2 } else { 1 }, 2).map(|(v, r)| {
                        day = v;
                        r
                    })
                }
                "15" | "03" | "3" => {
                    digits(rest, if token == "3" { 1 } else { 2 }, 2).map(|(v, r)| {
                        hour = v;
                        r
                    })
                }
                "04" | "4" => digits(rest, if token == "4" { 1 } else { 2 }, 2).map(|(v, r)| {
                    minute = v;
                    r
                }),
                "05" | "5" => digits(rest, if token == "5" { 1 } else { 2 }, 2).map(|(v, r)| {
                    second = v;
                    r
                }),
                "PM" | "pm" => {
                    let upper = rest.get(..2).map(str::to_ascii_uppercase);
                    match upper.as_deref() {
                        Some("PM") => {
                            pm = Some(true);
                            Some(&rest[2..])
                        }
                        Some("AM") => {
                            pm = Some(false);
                            Some(&rest[2..])
                        }
                        _ => None,
                    }
                }
                "Mon" | "Monday" => WEEKDAYS.iter().find_map(|name| {
                    let name = if token == "Mon" { &name[..3] } else { name };
                    rest.strip_prefix(name)
                }),
                "MST" => rest.strip_prefix("UTC"),
                "Z07:00" | "Z0700" | "Z07" | "-07:00" | "-0700" | "-07" => {
                    if token.starts_with('Z') && rest.starts_with('Z') {
                        Some(&rest[1..])
                    } else {
                        let sign = match rest.as_bytes().first() {
                            Some(b'+') => 1,
                            Some(b'-') => -1,
                            _ => 0,
                        };
                        if sign == 0 {
                            None
                        } else {
                            digits(&rest[1..], 2, 2).and_then(|(h, r)| {
                                let r = if token.contains(':') {
                                    r.strip_prefix(':')?
                                } else {
                                    r
                                };
                                let (m, r) = if token.ends_with("07") {
                                    (0, r)
                                } else {
                                    digits(r, 2, 2)?
                                };
                                offset = sign * i64::from(h * 3600 + m * 60);
                                Some(r)
                            })
                        }
                    }
                }
                fraction => {
                    let separator = fraction.as_bytes()[0] as char;
                    rest.strip_prefix(separator).and_then(|r| {
                        let n = r.bytes().take_while(u8::is_ascii_digit).count();
                        if n == 0 {
                            return None;
                        }
                        let padded = format!("{:0<9}", &r[..n.min(9)]);
                        nanos = padded.parse().ok()?;
                        Some(&r[n..])
                    })
                }
            };
            match parsed {
                Some(after) => rest = after,
                None => return Err(fail(&token, rest)),
            }
        }
        if !rest.is_empty() {
            return Err(format!(
                "parsing time {}: extra text: {}",
                super::strings::go_quote(text),
                super::strings::go_quote(rest)
            ));
        }
        match pm {
            Some(true) if hour < 12 => hour += 12,
            Some(false) if hour == 12 => hour = 0,
            _ => {}
        }
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            2 => 28,
            _ => 0,
        };
        if !(1..=12).contains(&month) {
            return Err(format!(
                "parsing time {}: month out of range",
                super::strings::go_quote(text)
            ));
        }
        if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
            return Err(format!(
                "parsing time {}: day out of range",
                super::strings::go_quote(text)
            ));
        }
        let seconds = days_from_civil(year, month, day) * 86_400
            + i64::from(hour * 3600 + minute * 60 + second)
            - offset;
        Ok(Time { seconds, nanos })
    }
}

impl GoObject for Time {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn field(&self, name: &str) -> Option<Value> {
        let (year, month, day, hour, minute, second) = self.parts();
        Some(match name {
            "Unix" => Value::Int(self.seconds),
            "UnixNano" => {
                Value::Int(self.seconds.wrapping_mul(1_000_000_000) + i64::from(self.nanos))
            }
            "Year" => Value::Int(year),
            "Month" => Value::string(MONTHS[month as usize - 1]),
            "Day" => Value::Int(i64::from(day)),
            "Hour" => Value::Int(i64::from(hour)),
            "Minute" => Value::Int(i64::from(minute)),
            "Second" => Value::Int(i64::from(second)),
            "Nanosecond" => Value::Int(i64::from(self.nanos)),
            "UTC" | "Local" => Value::Object(Rc::new(*self)),
            "String" => Value::string(self.display()),
            _ => return None,
        })
    }

    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if args.is_empty() {
            return self.field(name).map(Ok);
        }
        match name {
            "Format" => Some(
                count("Format", args, 1)
                    .and_then(|()| arguments::string(&args[0]))
                    .map(|layout| Value::string(self.format(layout))),
            ),
            _ => None,
        }
    }

    fn display(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }
}

fn time_value(time: Time) -> Value {
    Value::Object(Rc::new(time))
}

/// A `time.Time` argument, as Sprig's date functions accept them: a time,
/// or Unix seconds as an integer; anything else is now.
fn time_of(env: &Env, value: &Value) -> Time {
    match value {
        Value::Object(object) if object.type_name() == "time.Time" => {
            let seconds = match object.field("Unix") {
                Some(Value::Int(s)) => s,
                _ => env.now,
            };
            let nanos = match object.field("Nanosecond") {
                Some(Value::Int(n)) => n as u32,
                _ => 0,
            };
            Time { seconds, nanos }
        }
        Value::Int(seconds) => Time {
            seconds: *seconds,
            nanos: 0,
        },
        _ => Time::now(env),
    }
}

/// A Go `time.Time` parameter.
fn time_param(value: &Value) -> Result<Time, String> {
    match value {
        Value::Object(object) if object.type_name() == "time.Time" => {
            let seconds = match object.field("Unix") {
                Some(Value::Int(s)) => s,
                _ => 0,
            };
            let nanos = match object.field("Nanosecond") {
                Some(Value::Int(n)) => n as u32,
                _ => 0,
            };
            Ok(Time { seconds, nanos })
        }
        other => Err(format!(
            "wrong type for value; expected time.Time; got {}",
            match other {
                Value::Nil => "interface {}".to_string(),
                other => other.type_name(),
            }
        )),
    }
}

fn now(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("now", args, 0)?;
    Ok(time_value(Time::now(env)))
}

fn date(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("date", args, 2)?;
    let layout = arguments::string(&args[0])?;
    Ok(Value::string(time_of(env, &args[1]).format(layout)))
}

fn date_in_zone(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("dateInZone", args, 3)?;
    let layout = arguments::string(&args[0])?;
    arguments::string(&args[2])?;
    Ok(Value::string(time_of(env, &args[1]).format(layout)))
}

fn html_date(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("htmlDate", args, 1)?;
    Ok(Value::string(time_of(env, &args[0]).format("2006-01-02")))
}

fn html_date_in_zone(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("htmlDateInZone", args, 2)?;
    arguments::string(&args[1])?;
    Ok(Value::string(time_of(env, &args[0]).format("2006-01-02")))
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", super::strings::go_quote(text));
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let number = &rest[..number_len];
        if number.is_empty() || number == "." {
            return Err(invalid());
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        rest = &rest[number_len..];
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() || *c == '.')
            .map_or(rest.len(), |(i, _)| i);
        let unit = &rest[..unit_len];
        let scale = match unit {
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => {
                return Err(format!(
                    "time: missing unit in duration {}",
                    super::strings::go_quote(text)
                ));
            }
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    super::strings::go_quote(unit),
                    super::strings::go_quote(text)
                ));
            }
        };
        total += value * scale;
        rest = &rest[unit_len..];
    }
    if total > i64::MAX as f64 {
        return Err(invalid());
    }
    let nanos = total.round() as i64;
    Ok(if negative { -nanos } else { nanos })
}

/// Go's `Duration.String`.
pub fn duration_text(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".to_string();
    }
    let negative = nanos < 0;
    let u = nanos.unsigned_abs();
    let sign = if negative { "-" } else { "" };
    let fraction = |value: u64, digits: usize| -> String {
        let whole = value / 10u64.pow(digits as u32);
        let part = value % 10u64.pow(digits as u32);
        if part == 0 {
            whole.to_string()
        } else {
            let text = format!("{part:0digits$}");
            format!("{whole}.{}", text.trim_end_matches('0'))
        }
    };
    if u < 1_000 {
        return format!("{sign}{u}ns");
    }
    if u < 1_000_000 {
        return format!("{sign}{}\u{b5}s", fraction(u, 3));
    }
    if u < 1_000_000_000 {
        return format!("{sign}{}ms", fraction(u, 6));
    }
    let seconds_nanos = u % 60_000_000_000;
    let minutes = u / 60_000_000_000;
    let mut out = String::from(sign);
    if minutes >= 60 {
        out.push_str(&format!("{}h", minutes / 60));
    }
    if minutes > 0 {
        out.push_str(&format!("{}m", minutes % 60));
    }
    out.push_str(&format!("{}s", fraction(seconds_nanos, 9)));
    out
}

fn ago(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("ago", args, 1)?;
    let then = time_of(env, &args[0]);
    let seconds = env
        .now
        .saturating_sub(then.seconds)
        .saturating_sub(i64::from(then.nanos >= 500_000_000));
    Ok(Value::string(duration_text(
        seconds.saturating_mul(1_000_000_000),
    )))
}

fn modify(name: &str, args: &[Value], must: bool) -> Result<Value, String> {
    count(name, args, 2)?;
    let text = arguments::string(&args[0])?;
    let time = time_param(&args[1])?;
    match parse_duration(text) {
        Ok(nanos) => {
            let total = i128::from(time.seconds) * 1_000_000_000
                + i128::from(time.nanos)
                + i128::from(nanos);
            Ok(time_value(Time {
                seconds: total.div_euclid(1_000_000_000) as i64,
                nanos: total.rem_euclid(1_000_000_000) as u32,
            }))
        }
        Err(message) if must => Err(message),
        Err(_) => Ok(time_value(time)),
    }
}

fn date_modify(_: &Env, args: &[Value]) -> Result<Value, String> {
    modify("dateModify", args, false)
}

fn must_date_modify(_: &Env, args: &[Value]) -> Result<Value, String> {
    modify("mustDateModify", args, true)
}

/// Go's zero time, which `toDate` returns for text it cannot parse.
const ZERO_TIME: Time = Time {
    seconds: -62_135_596_800,
    nanos: 0,
};

fn to_date(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("toDate", args, 2)?;
    let layout = arguments::string(&args[0])?;
    let text = arguments::string(&args[1])?;
    Ok(time_value(Time::parse(layout, text).unwrap_or(ZERO_TIME)))
}

fn must_to_date(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("mustToDate", args, 2)?;
    let layout = arguments::string(&args[0])?;
    let text = arguments::string(&args[1])?;
    Time::parse(layout, text).map(time_value)
}

fn unix_epoch(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("unixEpoch", args, 1)?;
    Ok(Value::string(time_param(&args[0])?.seconds.to_string()))
}

/// Sprig reads strings and `int64`s; other types count as zero. Go's `int`
/// (a template literal) also counts as zero there, but integers are one
/// type here, so they are all read as `int64` (`duration 90` is `1m30s`
/// here, `0s` in Helm; `duration (int64 90)` agrees).
fn duration(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("duration", args, 1)?;
    let seconds = match &args[0] {
        Value::String(s) => s.parse::<i64>().unwrap_or(0),
        Value::Int(i) => *i,
        _ => 0,
    };
    Ok(Value::string(duration_text(
        seconds.saturating_mul(1_000_000_000),
    )))
}

fn duration_round(env: &Env, args: &[Value]) -> Result<Value, String> {
    count("durationRound", args, 1)?;
    let nanos: i64 = match &args[0] {
        Value::String(s) => parse_duration(s).unwrap_or(0),
        Value::Int(i) => *i,
        Value::Object(object) if object.type_name() == "time.Time" => {
            let then = time_of(env, &args[0]);
            env.now
                .saturating_sub(then.seconds)
                .saturating_mul(1_000_000_000)
        }
        _ => 0,
    };
    let u = nanos.unsigned_abs();
    const SECOND: u64 = 1_000_000_000;
    let units = [
        (SECOND * 3600 * 24 * 365, "y"),
        (SECOND * 3600 * 24 * 30, "mo"),
        (SECOND * 3600 * 24, "d"),
        (SECOND * 3600, "h"),
        (SECOND * 60, "m"),
        (SECOND, "s"),
    ];
    for (size, suffix) in units {
        if u > size {
            return Ok(Value::string(format!("{}{suffix}", u / size)));
        }
    }
    Ok(Value::string("0s"))
}
