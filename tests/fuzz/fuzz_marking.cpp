// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for MarkingParser against the built-in UK scheme. Besides the sanitizers'
// memory and UB checks it traps when an accepted marking breaks the parser's promises.
#include "classification/MarkingParser.h"
#include "classification/Scheme.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using conclave::classification::MarkingParser;
using conclave::classification::Scheme;

namespace {

bool isCanonicalText(std::string_view text)
{
    if (text.empty() || text.front() == ' ' || text.back() == ' ')
        return false;
    char previous = '\0';
    for (char c : text) {
        const bool allowed = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
                             c == '-' || c == '/' || c == '&' || c == ':';
        if (!allowed || (c == ' ' && previous == ' '))
            return false;
        previous = c;
    }
    return true;
}

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const Scheme scheme = Scheme::ukGovernment();
    const MarkingParser parser(scheme);
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    const auto parsed = parser.parse(input);
    if (!parsed.ok()) {
        // Every refusal carries a code and a reason.
        check(parsed.error().code.rfind("marking.", 0) == 0);
        check(!parsed.error().message.empty());
        return 0;
    }
    const std::string& canonical = parsed->marking.canonical;
    check(isCanonicalText(canonical));
    check(canonical.size() <= MarkingParser::kMaxLength);
    // Nothing changes silently, and nothing is reported changed that was not.
    check(parsed->corrections.empty() == (input == canonical));

    // The canonical form is a fixed point.
    const auto again = parser.parse(canonical);
    check(again.ok());
    check(again->marking.canonical == canonical);
    check(again->corrections.empty());
    check(again->marking.level == parsed->marking.level);
    check(again->marking.sensitive == parsed->marking.sensitive);
    check(again->marking.caveat == parsed->marking.caveat);
    check(again->marking.codewords == parsed->marking.codewords);
    check(again->marking.handlingInstructions == parsed->marking.handlingInstructions);
    check(again->marking.descriptors == parsed->marking.descriptors);
    return 0;
}
