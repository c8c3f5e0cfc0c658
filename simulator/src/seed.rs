//! What a new simulated workspace starts with: its teammates, its segments and two visitors.

use serde_json::json;

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
