//! What a new simulated workspace starts with: its teammates and their teams, its segments, two visitors, and
//! two custom attributes archived long ago.

use serde_json::{Value, json};

use crate::attributes::{self, Model};
use crate::people::{self, Kind};
use crate::world::{Segment, SegmentRule, World, now, object};

pub(crate) fn seed(world: &mut World) {
    for (name, email, job) in [
        ("Ada Admin", "ada@simulated-workspace.example", "Support lead"),
        ("Grace Hopper", "grace@simulated-workspace.example", "Engineer"),
        ("Alan Turing", "alan@simulated-workspace.example", "Success manager"),
    ] {
        let id = world.new_number();
        world.admins.push(object(json!({
            "type": "admin",
            "id": id,
            "name": name,
            "email": email,
            "job_title": job,
            "away_mode_enabled": false,
            "away_mode_reassign": false,
            "avatar": { "image_url": null },
            "team_ids": [],
        })));
    }
    // Teams hold admins by their ids as numbers, and each admin lists its teams the same way (facts §5).
    for (name, members) in [("Support", &[0, 1][..]), ("Customer Success", &[2, 0][..])] {
        let id = world.new_number();
        let admin_ids: Vec<Value> = members.iter().filter_map(|&member| number_id(world.admins.get(member)?)).collect();
        for &member in members {
            let team_id = id.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(id.clone()));
            if let Some(Value::Array(team_ids)) =
                world.admins.get_mut(member).and_then(|admin| admin.get_mut("team_ids"))
            {
                team_ids.push(team_id);
            }
        }
        world.teams.push(object(json!({ "type": "team", "id": id, "name": name, "admin_ids": admin_ids })));
    }
    attributes::add(world, Model::Customer, "legacy_plan", "string", true);
    attributes::add(world, Model::Company, "legacy_tier", "string", true);
    for (name, person_type, rule) in [
        ("Active", "user", SegmentRule::ActiveUsers),
        ("New", "user", SegmentRule::NewUsers),
        ("New leads", "contact", SegmentRule::NewLeads),
    ] {
        let id = world.new_id();
        let created = now();
        world.segments.push(Segment {
            object: object(json!({
                "type": "segment",
                "id": id,
                "name": name,
                "created_at": created,
                "updated_at": created,
                "person_type": person_type,
            })),
            rule,
            members: Vec::new(),
        });
    }
    for (user_id, name) in [("visitor-0001", "Curious Fox from Dublin"), ("visitor-0002", "Quiet Owl from Lisbon")] {
        let mut visitor = people::new_person(world, Kind::Visitor);
        visitor.insert("user_id".into(), user_id.into());
        visitor.insert("pseudonym".into(), name.into());
        world.people.push(visitor);
    }
}

/// An admin's id as the number teams list it by.
fn number_id(admin: &crate::world::Object) -> Option<Value> {
    admin.get("id")?.as_str()?.parse::<i64>().ok().map(Value::from)
}
