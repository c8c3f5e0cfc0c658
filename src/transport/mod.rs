//! Sending prepared requests: one HTTP exchange and the decoding of Intercom's answer ([`exchange`]), sending
//! again when that is safe ([`retry`]), Intercom's rate limit ([`rate_limit`]) and the client's own
//! ([`limiter`]). The transport knows no function: it sends whatever the planner (`crate::plan`) prepared.

pub(crate) mod exchange;
pub(crate) mod limiter;
pub(crate) mod rate_limit;
pub(crate) mod retry;

pub(crate) use exchange::Transport;
