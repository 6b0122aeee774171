// SPDX-License-Identifier: GPL-3.0-or-later
// HubState, fourth part: feeding HubStateStore - the journal of changes that must outlive a
// restart, and when members' sequence numbers are noted in it. Taking a saved state back is
// in HubStateRestore.cpp; the rules themselves are in HubState.cpp and HubStateMessages.cpp.
#include "hub/HubState.h"

namespace conclave::hub {

void HubState::keepChanges()
{
    m_keepChanges = true;
    for (auto& [meetingId, m] : m_meetings)
        m.keepChanges(&m_changes, false);
}

void HubState::noteSequences()
{
    if (!m_keepChanges)
        return;
    for (auto& [meetingId, m] : m_meetings)
        m.noteSequences();
}

} // namespace conclave::hub
