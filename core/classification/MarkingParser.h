// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "classification/Scheme.h"
#include "common/Result.h"

#include <string>
#include <string_view>
#include <vector>

namespace conclave::classification {

/// A parsed marking plus a plain-English list of every change canonicalisation made
/// ("wrote the marking in capitals", "replaced the look-alike hyphen U+2011 with '-'").
/// Nothing is changed silently: an empty list means the input was already canonical.
struct ParsedMarking {
    Marking marking;
    std::vector<std::string> corrections;
};

/// Parses, validates and canonicalises marking text (UTF-8) against a scheme.
/// Errors have code "marking.<reason>", category InvalidInput, and a message that names the
/// offending word and says what would be accepted.
class MarkingParser {
public:
    explicit MarkingParser(const Scheme& scheme) : m_scheme(scheme) {}

    Result<ParsedMarking> parse(std::string_view text) const;

    /// Longest input accepted; longer text is refused before any other work.
    static constexpr size_t kMaxLength = 256;

private:
    Result<ParsedMarking> parseText(std::string_view text) const;

    const Scheme& m_scheme;
};

} // namespace conclave::classification
