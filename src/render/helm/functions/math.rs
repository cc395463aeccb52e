//! Sprig's arithmetic and number conversions. Integer functions convert
//! their arguments with `cast` rules and compute in `int64`; the `…f`
//! functions use decimal arithmetic in Sprig, which Vigie approximates by
//! rounding `f64` results to 15 significant digits (`addf 0.1 0.2` is `0.3`).

use super::super::value::Value;
use super::arguments::{self, at_least, count, to_float64, to_int64};
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    def("add1", add1),
    def("add", add),
    def("sub", sub),
    def("div", div),
    def("mod", modulo),
    def("mul", mul),
    def("max", max),
    def("biggest", max),
    def("min", min),
    def("add1f", add1f),
    def("addf", addf),
    def("subf", subf),
    def("mulf", mulf),
    def("divf", divf),
    def("maxf", maxf),
    def("minf", minf),
    def("ceil", ceil),
    def("floor", floor),
    def("round", round),
    def("atoi", atoi),
    def("int", int),
    def("int64", int),
    def("float64", float64),
    def("toDecimal", to_decimal),
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

fn add1(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("add1", args, 1)?;
    Ok(Value::Int(to_int64(&args[0]).wrapping_add(1)))
}

fn add(_: &Env, args: &[Value]) -> Result<Value, String> {
    let sum = args
        .iter()
        .fold(0i64, |sum, v| sum.wrapping_add(to_int64(v)));
    Ok(Value::Int(sum))
}

fn sub(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("sub", args, 2)?;
    Ok(Value::Int(
        to_int64(&args[0]).wrapping_sub(to_int64(&args[1])),
    ))
}

fn divisor(value: &Value) -> Result<i64, String> {
    match to_int64(value) {
        0 => Err("runtime error: integer divide by zero".to_string()),
        d => Ok(d),
    }
}

fn div(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("div", args, 2)?;
    let d = divisor(&args[1])?;
    Ok(Value::Int(to_int64(&args[0]).wrapping_div(d)))
}

fn modulo(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("mod", args, 2)?;
    let d = divisor(&args[1])?;
    Ok(Value::Int(to_int64(&args[0]).wrapping_rem(d)))
}

fn mul(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("mul", args, 1)?;
    let product = args
        .iter()
        .fold(1i64, |product, v| product.wrapping_mul(to_int64(v)));
    Ok(Value::Int(product))
}

fn max(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("max", args, 1)?;
    Ok(Value::Int(args.iter().map(to_int64).max().unwrap_or(0)))
}

fn min(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("min", args, 1)?;
    Ok(Value::Int(args.iter().map(to_int64).min().unwrap_or(0)))
}

/// Rounds to 15 significant digits, which is what the decimal result of
/// Sprig's float functions converts back to for ordinary inputs.
fn decimal(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    format!("{x:.14e}").parse().unwrap_or(x)
}

fn float_fold(args: &[Value], first: f64, op: fn(f64, f64) -> f64) -> f64 {
    args.iter()
        .fold(first, |acc, v| decimal(op(acc, to_float64(v))))
}

fn add1f(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("add1f", args, 1)?;
    Ok(Value::Float(decimal(to_float64(&args[0]) + 1.0)))
}

fn addf(_: &Env, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(float_fold(args, 0.0, |a, b| a + b)))
}

fn subf(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("subf", args, 1)?;
    let first = to_float64(&args[0]);
    Ok(Value::Float(float_fold(&args[1..], first, |a, b| a - b)))
}

fn mulf(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("mulf", args, 1)?;
    let first = to_float64(&args[0]);
    Ok(Value::Float(float_fold(&args[1..], first, |a, b| a * b)))
}

fn divf(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("divf", args, 1)?;
    let mut result = to_float64(&args[0]);
    for v in &args[1..] {
        let d = to_float64(v);
        if d == 0.0 {
            return Err("decimal division by 0".to_string());
        }
        result /= d;
    }
    Ok(Value::Float(result))
}

fn maxf(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("maxf", args, 1)?;
    let first = to_float64(&args[0]);
    Ok(Value::Float(
        args[1..].iter().fold(first, |a, v| a.max(to_float64(v))),
    ))
}

fn minf(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("minf", args, 1)?;
    let first = to_float64(&args[0]);
    Ok(Value::Float(
        args[1..].iter().fold(first, |a, v| a.min(to_float64(v))),
    ))
}

fn ceil(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("ceil", args, 1)?;
    Ok(Value::Float(to_float64(&args[0]).ceil()))
}

fn floor(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("floor", args, 1)?;
    Ok(Value::Float(to_float64(&args[0]).floor()))
}

/// A Go `float64` parameter: template integer constants convert, other
/// types are rejected.
fn float_param(value: &Value) -> Result<f64, String> {
    match value {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        other => Err(format!(
            "wrong type for value; expected float64; got {}",
            other.type_name()
        )),
    }
}

fn round(_: &Env, args: &[Value]) -> Result<Value, String> {
    at_least("round", args, 2)?;
    let value = to_float64(&args[0]);
    let places = arguments::int(&args[1])? as f64;
    let round_on = match args.get(2) {
        Some(v) => float_param(v)?,
        None => 0.5,
    };
    let pow = 10f64.powf(places);
    let digit = pow * value;
    let fraction = digit.fract();
    let rounded = if fraction >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(rounded / pow))
}

fn atoi(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("atoi", args, 1)?;
    let s = arguments::string(&args[0])?;
    let digits = s.strip_prefix('+').unwrap_or(s);
    let valid = !digits.is_empty()
        && digits
            .strip_prefix('-')
            .unwrap_or(digits)
            .bytes()
            .all(|b| b.is_ascii_digit());
    let n = if valid {
        digits.parse().unwrap_or(0)
    } else {
        0
    };
    Ok(Value::Int(n))
}

fn int(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("int", args, 1)?;
    Ok(Value::Int(to_int64(&args[0])))
}

fn float64(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("float64", args, 1)?;
    Ok(Value::Float(to_float64(&args[0])))
}

fn to_decimal(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("toDecimal", args, 1)?;
    let text = args[0].to_string();
    let body = text.strip_prefix(['+', '-']).unwrap_or(&text);
    let n = if !body.is_empty() && body.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let magnitude = i64::from_str_radix(body, 8).unwrap_or(0);
        if text.starts_with('-') {
            -magnitude
        } else {
            magnitude
        }
    } else {
        0
    };
    Ok(Value::Int(n))
}
