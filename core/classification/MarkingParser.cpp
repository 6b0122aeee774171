// SPDX-License-Identifier: GPL-3.0-or-later
// Placeholder until the parser lands (being written now).
#include "classification/MarkingParser.h"

namespace conclave::classification {

Result<ParsedMarking> MarkingParser::parse(std::string_view) const
{
    return makeError("marking.unavailable", "the marking parser is not built yet");
}

} // namespace conclave::classification
