//! (to be written)

use intercom_rest::Client;

pub async fn exercise(_client: &Client, _simulator: &intercom_rest::simulator::Simulator) {}
