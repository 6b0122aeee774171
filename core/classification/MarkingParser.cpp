// SPDX-License-Identifier: GPL-3.0-or-later
#include "classification/MarkingParser.h"

#include "classification/ComponentScanner.h"
#include "classification/MarkingRules.h"
#include "classification/MarkingTokenizer.h"

#include <cassert>

namespace conclave::classification {

// Three stages, each in its own class: MarkingTokenizer (characters to words, scheme-blind),
// ComponentScanner (words to level and components, left to right) and MarkingRules (rules
// over the whole marking, canonical assembly).
Result<ParsedMarking> MarkingParser::parse(std::string_view text) const
{
    // Decision (docs/architecture.md "Error categories"): text that is not a valid marking is
    // invalid input - the person who typed it can correct it - never a policy refusal, which
    // is about a valid marking the policy does not approve. Layers that receive a marking
    // from elsewhere (a hub checking a descriptor, a joiner reading one) classify it there.
    auto parsed = parseText(text);
    if (!parsed && parsed.error().code != "marking.scheme_invalid")
        return parsed.error().withCategory(ErrorCategory::InvalidInput);
    return parsed;
}

Result<ParsedMarking> MarkingParser::parseText(std::string_view text) const
{
    if (text.size() > kMaxLength)
        return makeError("marking.too_long", "the marking is " + std::to_string(text.size()) +
                                                 " bytes long; the longest accepted is " +
                                                 std::to_string(kMaxLength));
    // A scheme from a policy should have been validated on load; checking again here keeps a
    // broken scheme from producing markings that nothing else can parse.
    if (auto schemeError = m_scheme.validationError())
        return makeError("marking.scheme_invalid", "the classification scheme '" + m_scheme.id +
                                                       "' cannot be used: " + *schemeError);
    auto tokens = MarkingTokenizer::tokenize(text);
    if (!tokens)
        return tokens.error();
    if (tokens->words.empty())
        return makeError("marking.empty", "the marking is empty; enter one that starts with a "
                                          "level (" +
                                              MarkingRules::levelList(m_scheme) + ")");

    ParsedMarking parsed;
    parsed.corrections = std::move(tokens->corrections);
    const ComponentScanner scanner(m_scheme, tokens->words);
    auto scanned = scanner.scan(parsed.corrections);
    if (!scanned)
        return scanned.error();
    if (auto error = MarkingRules::check(m_scheme, *scanned))
        return *error;
    parsed.marking = MarkingRules::assemble(m_scheme, *scanned, parsed.corrections);

    // Canonical spelling can be longer than the input ("T09:00Z" becomes " 09:00 UTC"); a
    // marking whose canonical form could not itself be parsed must not be handed out.
    if (parsed.marking.canonical.size() > kMaxLength)
        return makeError("marking.too_long", "written in full the marking is " +
                                                 std::to_string(parsed.marking.canonical.size()) +
                                                 " characters long; the longest accepted is " +
                                                 std::to_string(kMaxLength));
    // Every change is recorded where it is made; this backstop keeps the promise that nothing
    // changes silently even if a future rule forgets (tests and the fuzzer catch it earlier).
    assert(parsed.corrections.empty() == (parsed.marking.canonical == text));
    if (parsed.corrections.empty() && parsed.marking.canonical != text)
        parsed.corrections.push_back("rewrote the marking as '" + parsed.marking.canonical + "'");
    return parsed;
}

} // namespace conclave::classification
