// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/MessageRates.h"

namespace conclave::hub {

MessageRates MessageRates::defaults()
{
    using T = protocol::MessageType;
    MessageRates r;
    // {per second, burst}. Chair messages follow the chair's own pace (heartbeat every 5 s,
    // at most 8 paced epochs per 10 s - but departures are not paced, so a room emptying at
    // once brings a burst of commits, and of acks from everyone still there); member messages
    // follow what a person or a media stack does. An over-rate message counts as an invalid
    // one, so bursts an honest client can produce must fit in with room to spare. Every
    // admission also brings the chair's repeat of the standing for the newcomer (the
    // descriptor in force, the co-chair grants, share grants and the chat switch), so those
    // types follow admissions' pace.
    r.set(T::Create, {1, 2});
    r.set(T::Knock, {1, 3}); // a bound connection knocks again only when sent to the lobby
    r.set(T::Admit, {20, 100});
    r.set(T::Deny, {20, 100});
    r.set(T::Commit, {20, 200});
    r.set(T::Ack, {4, 64});
    r.set(T::Remove, {10, 50});
    r.set(T::Control, {20, 200});
    r.set(T::Descriptor, {20, 100});
    r.set(T::Chat, {5, 30});
    r.set(T::Heartbeat, {2, 5});
    r.set(T::Leave, {1, 2});
    r.set(T::Signal, {50, 400}); // offer, answer and ICE candidates to every peer on joining
    r.set(T::Delegate, {20, 200});
    r.set(T::AskUnmute, {2, 10});
    r.set(T::Request, {2, 30}); // a co-chair's lock, admit, deny ... each may cost a rekey
    r.set(T::Takeover, {0.2, 2});
    // A member asks again at most every few seconds; the chair answers every member at once
    // when it comes back itself (after a hub restart everyone resumes together).
    r.set(T::Resume, {0.5, 3});
    r.set(T::Resync, {50, 1000});
    return r;
}

} // namespace conclave::hub
