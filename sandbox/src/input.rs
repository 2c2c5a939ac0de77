//! Reading request bodies the way each vendor's framework would: Proxy-Solutions answers
//! like Laravel (422, every field's messages), ProxyShard like actix-web + serde (400, the
//! first problem).

use serde_json::{Map, Value};

/// Which framework's wording and leniency to follow.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Style {
    /// Laravel validation: numeric strings pass integer rules; messages per field.
    Laravel,
    /// serde: exact JSON types; one message.
    Serde,
}

/// A JSON object body with its collected problems.
pub(crate) struct Body {
    map: Map<String, Value>,
    style: Style,
    /// `(field, message)` in the order found.
    pub errors: Vec<(String, String)>,
}

impl Body {
    /// Parses a body: empty → `{}`. Laravel treats a body that is not JSON as no input;
    /// serde refuses it.
    pub fn parse(text: &str, style: Style) -> Result<Body, String> {
        let map = if text.trim().is_empty() {
            Map::new()
        } else {
            match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(m)) => m,
                Ok(_) if style == Style::Laravel => Map::new(),
                Err(_) if style == Style::Laravel => Map::new(),
                Ok(_) => {
                    return Err(
                        "Json deserialize error: invalid type: expected a JSON object".into(),
                    )
                }
                Err(e) => return Err(format!("Json deserialize error: {e}")),
            }
        };
        Ok(Body {
            map,
            style,
            errors: Vec::new(),
        })
    }

    /// A body from query parameters. Every value is a string, so both vendors' queries are
    /// read leniently (numbers and booleans parsed from text), in the Laravel style.
    pub fn from_query(query: &[(String, String)]) -> Body {
        let map = query
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        Body {
            map,
            style: Style::Laravel,
            errors: Vec::new(),
        }
    }

    /// Whether the field is present and not null.
    pub fn has(&self, field: &str) -> bool {
        self.map.get(field).is_some_and(|v| !v.is_null())
    }

    /// Records a problem.
    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push((field.to_string(), message.into()));
    }

    /// The first problem's message.
    pub fn first_error(&self) -> Option<String> {
        self.errors.first().map(|(_, m)| m.clone())
    }

    fn label(field: &str) -> String {
        field.replace('_', " ")
    }

    fn missing(&mut self, field: &str) {
        let msg = match self.style {
            Style::Laravel => format!("The {} field is required.", Self::label(field)),
            Style::Serde => format!("Json deserialize error: missing field `{field}`"),
        };
        self.fail(field, msg);
    }

    fn wrong(&mut self, field: &str, laravel: &str, serde: &str) {
        let msg = match self.style {
            Style::Laravel => format!("The {} {laravel}.", Self::label(field)),
            Style::Serde => {
                format!("Json deserialize error: invalid type for `{field}`, expected {serde}")
            }
        };
        self.fail(field, msg);
    }

    /// An optional integer.
    pub fn int(&mut self, field: &str) -> Option<i64> {
        let v = self.map.get(field)?.clone();
        let n = match &v {
            Value::Null => return None,
            Value::Number(n) => n.as_i64(),
            Value::String(s) if self.style == Style::Laravel => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        if n.is_none() {
            self.wrong(field, "must be an integer", "an integer");
        }
        n
    }

    /// A required integer.
    pub fn req_int(&mut self, field: &str) -> Option<i64> {
        if !self.has(field) {
            self.missing(field);
            return None;
        }
        self.int(field)
    }

    /// An optional number.
    pub fn num(&mut self, field: &str) -> Option<f64> {
        let v = self.map.get(field)?.clone();
        let n = match &v {
            Value::Null => return None,
            Value::Number(n) => n.as_f64(),
            Value::String(s) if self.style == Style::Laravel => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        if n.is_none() || n.is_some_and(|x| !x.is_finite()) {
            self.wrong(field, "must be a number", "a number");
            return None;
        }
        n
    }

    /// An optional string.
    pub fn str(&mut self, field: &str) -> Option<String> {
        match self.map.get(field)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong(field, "must be a string", "a string");
                None
            }
        }
    }

    /// A required string.
    pub fn req_str(&mut self, field: &str) -> Option<String> {
        if !self.has(field) {
            self.missing(field);
            return None;
        }
        self.str(field)
    }

    /// An optional boolean (Laravel also takes 0/1 and "true"/"false").
    pub fn bool(&mut self, field: &str) -> Option<bool> {
        let v = self.map.get(field)?.clone();
        let b = match &v {
            Value::Null => return None,
            Value::Bool(b) => Some(*b),
            Value::Number(n) if self.style == Style::Laravel => match n.as_i64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            Value::String(s) if self.style == Style::Laravel => match s.as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        };
        if b.is_none() {
            self.wrong(field, "field must be true or false", "a boolean");
        }
        b
    }

    /// The raw value.
    pub fn raw(&self, field: &str) -> Option<&Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    /// An optional list of strings.
    pub fn str_list(&mut self, field: &str) -> Option<Vec<String>> {
        let v = self.raw(field)?.clone();
        let list = v.as_array().and_then(|a| {
            a.iter()
                .map(|x| x.as_str().map(String::from))
                .collect::<Option<Vec<_>>>()
        });
        if list.is_none() {
            self.wrong(
                field,
                "must be an array of strings",
                "a sequence of strings",
            );
        }
        list
    }

    /// An optional list of integers.
    pub fn int_list(&mut self, field: &str) -> Option<Vec<i64>> {
        let v = self.raw(field)?.clone();
        let list = v
            .as_array()
            .and_then(|a| a.iter().map(Value::as_i64).collect::<Option<Vec<_>>>());
        if list.is_none() {
            self.wrong(
                field,
                "must be an array of integers",
                "a sequence of integers",
            );
        }
        list
    }

    /// An optional list of objects.
    pub fn objects(&mut self, field: &str) -> Option<Vec<Map<String, Value>>> {
        let v = self.raw(field)?.clone();
        let list = v.as_array().and_then(|a| {
            a.iter()
                .map(|x| x.as_object().cloned())
                .collect::<Option<Vec<_>>>()
        });
        if list.is_none() {
            self.wrong(
                field,
                "must be an array of objects",
                "a sequence of objects",
            );
        }
        list
    }
}

/// Whether `s` is a dotted IPv4 address (IPv6 is accepted too, through std).
pub(crate) fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// Reads a provider's settings `{accounts: [{apiKey, …}]}`: each account starts from
/// `blank`, `apiKey` is required and non-empty, and `field` takes the provider's other keys
/// (returning `false` for a key it does not know). `None` when `accounts` is absent.
pub(crate) fn accounts<T: Clone>(
    v: &Value,
    what: &str,
    blank: T,
    set_key: fn(&mut T, String),
    field: impl Fn(&mut T, &str, &Value) -> Result<bool, String>,
) -> Result<Option<Vec<T>>, String> {
    let obj = v.as_object().ok_or(format!("{what}: expected an object"))?;
    if let Some(other) = obj.keys().find(|k| *k != "accounts") {
        return Err(format!("{what}: unknown key `{other}`"));
    }
    let Some(list) = obj.get("accounts") else {
        return Ok(None);
    };
    let list = list
        .as_array()
        .ok_or(format!("{what}.accounts: expected a list"))?;
    list.iter()
        .map(|a| {
            let a = a
                .as_object()
                .ok_or(format!("{what}.accounts[]: expected an object"))?;
            let mut acc = blank.clone();
            let mut has_key = false;
            for (k, v) in a {
                if k == "apiKey" {
                    let key = v.as_str().filter(|s| !s.is_empty()).ok_or(format!(
                        "{what}.accounts[].apiKey: expected a non-empty string"
                    ))?;
                    set_key(&mut acc, key.to_string());
                    has_key = true;
                } else if !field(&mut acc, k, v)
                    .map_err(|e| format!("{what}.accounts[].{k}: {e}"))?
                {
                    return Err(format!("{what}.accounts[]: unknown key `{k}`"));
                }
            }
            if !has_key {
                return Err(format!("{what}.accounts[].apiKey is required"));
            }
            Ok(acc)
        })
        .collect::<Result<Vec<T>, String>>()
        .map(Some)
}
