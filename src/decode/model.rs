//! How every generated model is read: one loop over the JSON object's members, each matched to its field by
//! name, and the members the model does not declare kept in its `other` map as they came.
//!
//! `#[derive(Deserialize)]` with a `#[serde(flatten)]` map would do the same, but flatten makes serde buffer
//! the whole object (every key and value copied into an intermediate tree) before reading it into the fields:
//! about a third more time on a page of users. Here each value is read once, straight into its field, and a
//! key the model declares is matched without being copied.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// What the generated code of a model provides for [`read`]: its members by name, how to read each into its
/// field, and where the others go.
pub trait Members: Default {
    /// The model's name, for "expected struct User".
    const NAME: &'static str;

    /// The JSON names of the members the model declares, by their number: the required ones first.
    const MEMBERS: &'static [&'static str];

    /// How many of [`Members::MEMBERS`], from the first, are required.
    const REQUIRED: usize;

    /// The number of the member named `name` (its place in [`Members::MEMBERS`]), or `None` when the model
    /// does not declare it.
    fn member(name: &str) -> Option<usize>;

    /// Reads the value of member number `member` from `map` into its field.
    ///
    /// # Errors
    ///
    /// When the value does not have the member's type.
    fn read_member<'de, A: MapAccess<'de>>(&mut self, member: usize, map: &mut A) -> Result<(), A::Error>;

    /// The members the model does not declare.
    fn other(&mut self) -> &mut Map<String, Value>;
}

/// Reads a model from a JSON object.
///
/// # Errors
///
/// When the JSON is not an object, a member's value does not have its type, a required member is missing, or
/// a declared member is given twice (as serde's derive refuses it: a second `type` could say `error.list`).
/// A member the model does not declare keeps its last value, as `serde_json::Value` does.
pub fn read<'de, M: Members, D: Deserializer<'de>>(deserializer: D) -> Result<M, D::Error> {
    let mut model = M::default();
    deserializer.deserialize_map(Fill(&mut model))?;
    Ok(model)
}

/// Fills a model from a JSON object's members.
struct Fill<'a, M>(&'a mut M);

impl<'de, M: Members> Visitor<'de> for Fill<'_, M> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", M::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let model = self.0;
        let mut seen = Seen::new(M::MEMBERS.len());
        while let Some(key) = map.next_key_seed(KeySeed::<M>(PhantomData))? {
            match key {
                Key::Declared(member) => {
                    if seen.mark(member) {
                        let name = M::MEMBERS.get(member).copied().unwrap_or("?");
                        return Err(de::Error::duplicate_field(name));
                    }
                    model.read_member(member, &mut map)?;
                }
                Key::Other(name) => {
                    let value = map.next_value::<Value>()?;
                    model.other().insert(name, value);
                }
            }
        }
        let required = M::MEMBERS.iter().take(M::REQUIRED).enumerate();
        match required.into_iter().find(|(number, _)| !seen.has(*number)) {
            Some((_, name)) => Err(de::Error::missing_field(name)),
            None => Ok(()),
        }
    }
}

// Nested models are read into their field, where they are to stay, rather than built apart and moved there:
// a model such as `User` is a kilobyte, and a page holds dozens.

/// What a member holding models is: one model, or a list of them, which a value is read into in place.
pub trait Place: Default {
    /// Reads a value into `self`, which holds its default.
    ///
    /// # Errors
    ///
    /// When the value is not a model (or a list of models) of the right shape.
    fn fill<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error>;

    /// What the value should have been, for errors.
    fn expecting(f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl<M: Members> Place for M {
    fn fill<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(Fill(self))
    }

    fn expecting(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", M::NAME)
    }
}

impl<M: Members> Place for Vec<M> {
    fn fill<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(FillList(self))
    }

    fn expecting(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of struct {}", M::NAME)
    }
}

/// Reads a required member holding models into its field. A member given twice keeps only its last value.
pub struct InPlace<'a, P>(pub &'a mut P);

impl<'de, P: Place> DeserializeSeed<'de> for InPlace<'_, P> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        *self.0 = P::default();
        self.0.fill(deserializer)
    }
}

/// Reads an optional member holding models into its field; `null` is `None`.
pub struct OptionalInPlace<'a, P>(pub &'a mut Option<P>);

impl<'de, P: Place> DeserializeSeed<'de> for OptionalInPlace<'_, P> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, P: Place> Visitor<'de> for OptionalInPlace<'_, P> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        P::expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        *self.0 = None;
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.0.insert(P::default()).fill(deserializer)
    }
}

/// Fills an empty list, each item where it is to stay.
struct FillList<'a, M>(&'a mut Vec<M>);

impl<'de, M: Members> Visitor<'de> for FillList<'_, M> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        <Vec<M> as Place>::expecting(f)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let list = self.0;
        // The hint comes from the data: it is trusted only so far.
        list.reserve(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            list.push(M::default());
            let Some(item) = list.last_mut() else { break };
            if seq.next_element_seed(FillItem(item))?.is_none() {
                // The list ended: the place made for one more item is not needed.
                list.pop();
                break;
            }
        }
        Ok(())
    }
}

/// Fills an item of a list, made default just before.
struct FillItem<'a, M>(&'a mut M);

impl<'de, M: Members> DeserializeSeed<'de> for FillItem<'_, M> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.0.fill(deserializer)
    }
}

/// Which declared members of a model have been read: the bits of a `u128`, or for a model with more members
/// (none so far), a list.
enum Seen {
    Bits(u128),
    List(Vec<bool>),
}

impl Seen {
    fn new(members: usize) -> Self {
        if members <= 128 { Seen::Bits(0) } else { Seen::List(vec![false; members]) }
    }

    /// Marks member `number` as read; whether it was already.
    fn mark(&mut self, number: usize) -> bool {
        match self {
            Seen::Bits(bits) => {
                let bit = if number < 128 { 1_u128 << number } else { 0 };
                let was = *bits & bit != 0;
                *bits |= bit;
                was
            }
            Seen::List(list) => list.get_mut(number).is_some_and(|seen| std::mem::replace(seen, true)),
        }
    }

    fn has(&self, number: usize) -> bool {
        match self {
            Seen::Bits(bits) => number < 128 && bits & (1_u128 << number) != 0,
            Seen::List(list) => list.get(number).copied().unwrap_or(false),
        }
    }
}

/// A member's key: the number of a declared member (its name is not copied), or the name of another.
enum Key {
    Declared(usize),
    Other(String),
}

struct KeySeed<M>(PhantomData<M>);

impl<'de, M: Members> DeserializeSeed<'de> for KeySeed<M> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<M: Members> Visitor<'_> for KeySeed<M> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
        Ok(M::member(name).map_or_else(|| Key::Other(name.to_owned()), Key::Declared))
    }

    fn visit_string<E: de::Error>(self, name: String) -> Result<Key, E> {
        Ok(M::member(&name).map_or(Key::Other(name), Key::Declared))
    }
}

#[cfg(test)]
mod tests {
    use serde::de::MapAccess;
    use serde_json::{Map, Value, json};

    use super::Members;

    /// What the generated code of a model with a required `id` and a lenient `count` is.
    #[derive(Debug, Default, PartialEq)]
    struct Thing {
        id: String,
        count: Option<i64>,
        other: Map<String, Value>,
    }

    impl Members for Thing {
        const NAME: &'static str = "Thing";
        const MEMBERS: &'static [&'static str] = &["id", "count"];
        const REQUIRED: usize = 1;

        fn member(name: &str) -> Option<usize> {
            Some(match name {
                "id" => 0,
                "count" => 1,
                _ => return None,
            })
        }

        fn read_member<'de, A: MapAccess<'de>>(&mut self, member: usize, map: &mut A) -> Result<(), A::Error> {
            match member {
                0 => self.id = map.next_value()?,
                1 => self.count = map.next_value_seed(crate::decode::OPTIONAL_INTEGER)?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(())
        }

        fn other(&mut self) -> &mut Map<String, Value> {
            &mut self.other
        }
    }

    /// A model holding others: an optional one and a required list.
    #[derive(Debug, Default, PartialEq)]
    struct Outer {
        items: Vec<Thing>,
        inner: Option<Thing>,
        other: Map<String, Value>,
    }

    impl Members for Outer {
        const NAME: &'static str = "Outer";
        const MEMBERS: &'static [&'static str] = &["items", "inner"];
        const REQUIRED: usize = 1;

        fn member(name: &str) -> Option<usize> {
            Some(match name {
                "items" => 0,
                "inner" => 1,
                _ => return None,
            })
        }

        fn read_member<'de, A: MapAccess<'de>>(&mut self, member: usize, map: &mut A) -> Result<(), A::Error> {
            match member {
                0 => map.next_value_seed(crate::decode::InPlace(&mut self.items))?,
                1 => map.next_value_seed(crate::decode::OptionalInPlace(&mut self.inner))?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(())
        }

        fn other(&mut self) -> &mut Map<String, Value> {
            &mut self.other
        }
    }

    fn thing(id: &str, count: Option<i64>) -> Thing {
        Thing { id: id.to_owned(), count, other: Map::new() }
    }

    #[test]
    fn nested_models_are_read_in_place() {
        let json = r#"{"items": [{"id": "1"}, {"id": "2", "count": 3}], "inner": {"id": "b"}}"#;
        let outer: Result<Outer, _> = super::read(&mut serde_json::Deserializer::from_str(json));
        let expected = Outer {
            items: vec![thing("1", None), thing("2", Some(3))],
            inner: Some(thing("b", None)),
            ..Default::default()
        };
        assert_eq!(outer.map_err(|error| error.to_string()), Ok(expected));

        let json = r#"{"items": [], "inner": null}"#;
        let outer: Result<Outer, _> = super::read(&mut serde_json::Deserializer::from_str(json));
        assert_eq!(outer.map_err(|error| error.to_string()), Ok(Outer::default()));
    }

    #[test]
    fn nested_models_of_the_wrong_shape_are_named() {
        let read = |json: &str| {
            super::read::<Outer, _>(&mut serde_json::Deserializer::from_str(json)).map_err(|error| error.to_string())
        };
        assert_eq!(
            read(r#"{"items": null}"#),
            Err("invalid type: null, expected a list of struct Thing at line 1 column 14".to_owned())
        );
        assert_eq!(read(r#"{"items": [{"count": 1}]}"#), Err("missing field `id` at line 1 column 23".to_owned()));
        assert_eq!(
            read(r#"{"items": [], "inner": 5}"#),
            Err("invalid type: integer `5`, expected struct Thing at line 1 column 24".to_owned())
        );
        assert_eq!(read(r#"{"inner": null}"#), Err("missing field `items` at line 1 column 15".to_owned()));
    }

    fn read(json: &str) -> Result<Thing, String> {
        super::read(&mut serde_json::Deserializer::from_str(json)).map_err(|error| error.to_string())
    }

    #[test]
    fn declared_members_go_to_their_fields_and_the_others_to_other() {
        let thing = read(r#"{"other": 1, "id": "7", "count": "12", "extra": {"a": [null]}}"#);
        let other = json!({"other": 1, "extra": {"a": [null]}});
        let other = other.as_object().cloned().unwrap_or_default();
        assert_eq!(thing, Ok(Thing { id: "7".into(), count: Some(12), other }));
    }

    #[test]
    fn a_key_written_with_escapes_is_still_the_member() {
        let thing = read(r#"{"\u0069d": "7", "c\u006funt": 3}"#);
        assert_eq!(thing, Ok(Thing { id: "7".into(), count: Some(3), other: Map::new() }));
    }

    #[test]
    fn a_declared_member_given_twice_is_refused_and_another_keeps_its_last_value() {
        assert_eq!(read(r#"{"id": "7", "id": "8"}"#), Err("duplicate field `id` at line 1 column 16".to_owned()));
        assert_eq!(
            read(r#"{"id": "7", "count": 1, "count": null}"#).map(|_| ()),
            Err("duplicate field `count` at line 1 column 31".to_owned())
        );
        let thing = read(r#"{"id": "7", "x": 1, "x": 2}"#);
        let other = json!({"x": 2}).as_object().cloned().unwrap_or_default();
        assert_eq!(thing, Ok(Thing { id: "7".into(), count: None, other }));
    }

    #[test]
    fn a_missing_required_member_and_a_wrong_type_are_named() {
        assert_eq!(read(r#"{"count": 1}"#), Err("missing field `id` at line 1 column 12".to_owned()));
        assert_eq!(read(r#"[]"#), Err("invalid type: sequence, expected struct Thing at line 1 column 0".to_owned()));
        assert_eq!(
            read(r#"{"id": "7", "count": "x"}"#),
            Err("invalid value: string \"x\", expected a whole number at line 1 column 24".to_owned())
        );
    }

    #[test]
    fn a_model_reads_from_a_json_value_too() {
        let thing: Result<Thing, _> = super::read(json!({"id": "7", "count": 2.0, "z": true}));
        let other = json!({"z": true}).as_object().cloned().unwrap_or_default();
        assert_eq!(thing.map_err(|error| error.to_string()), Ok(Thing { id: "7".into(), count: Some(2), other }));
    }

    #[test]
    fn members_seen_are_kept_whatever_their_number() {
        for members in [2, 128, 129, 300] {
            let mut seen = super::Seen::new(members);
            for number in std::collections::BTreeSet::from([0, 1, members - 1]) {
                assert!(!seen.has(number) && !seen.mark(number) && seen.has(number), "{members}: {number}");
                assert!(seen.mark(number), "{members}: {number} a second time");
            }
            assert!(!seen.has(members) && !seen.mark(members) && !seen.has(usize::MAX), "{members}: out of range");
        }
    }
}
