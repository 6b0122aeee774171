// SPDX-License-Identifier: GPL-3.0-or-later
#include "classification/MarkingTokenizer.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace conclave::classification {
namespace {

constexpr const char* kAccepted =
    "markings use the letters A-Z, the digits 0-9, spaces and the characters - / & :";

std::string codePointName(char32_t cp)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

void addOnce(std::vector<std::string>& list, std::string sentence)
{
    if (std::find(list.begin(), list.end(), sentence) == list.end())
        list.push_back(std::move(sentence));
}

struct Decoded {
    char32_t cp = 0;
    size_t length = 0;
};

/// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
std::optional<Decoded> decodeUtf8(std::string_view text, size_t pos)
{
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char b0 = byte(pos);
    if (b0 < 0x80)
        return Decoded{b0, 1};
    size_t length = 0;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    char32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
        cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        cp = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0;
        if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        cp = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90;
        if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        return std::nullopt;
    }
    if (pos + length > text.size())
        return std::nullopt;
    for (size_t i = 1; i < length; ++i) {
        const unsigned char b = byte(pos + i);
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
            return std::nullopt;
        cp = (cp << 6) | (b & 0x3F);
    }
    return Decoded{cp, length};
}

bool isLookAlikeHyphen(char32_t cp)
{
    switch (cp) {
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFE58:
    case 0xFE63:
    case 0xFF0D:
        return true;
    default:
        return false;
    }
}

/// Unicode space separators (category Zs) other than U+0020: they look like a space, so
/// treating them as one cannot change what a reader sees.
bool isOtherSpace(char32_t cp)
{
    return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

bool isControl(char32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

bool isKept(char32_t cp)
{
    // '+' is not part of any marking, but letting it through gives "+01:00" in an embargo a
    // better error (use UTC) than a bare "character not allowed".
    return (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == ' ' || cp == '-' ||
           cp == '/' || cp == '&' || cp == ':' || cp == '+';
}

/// Text to words: trims, collapses and glues, recording each change.
void splitWords(const std::string& spaced, MarkingWords& out)
{
    const size_t first = spaced.find_first_not_of(' ');
    if (first == std::string::npos)
        return; // only whitespace: the parser reports the marking as empty
    const size_t last = spaced.find_last_not_of(' ');
    if (first != 0 || last + 1 != spaced.size())
        out.corrections.push_back("removed the spaces before and after the marking");
    std::string text;
    bool repeated = false;
    for (size_t i = first; i <= last; ++i) {
        if (spaced[i] == ' ' && text.back() == ' ') {
            repeated = true;
            continue;
        }
        text += spaced[i];
    }
    if (repeated)
        out.corrections.push_back("replaced repeated spaces with a single space");

    // Spaces around '-' and '/' carry no meaning ("OFFICIAL - SENSITIVE", "UK / US"), so they
    // are dropped; the original spelling goes into the correction so the user sees what changed.
    const auto isJoiner = [](char c) { return c == '-' || c == '/'; };
    std::string word;
    std::string original;
    bool glued = false;
    const auto finishWord = [&] {
        if (word.empty())
            return;
        if (glued) {
            const bool hyphen = word.find('-') != std::string::npos;
            const bool slash = word.find('/') != std::string::npos;
            const std::string around = hyphen && slash ? "'-' and '/'" : hyphen ? "'-'" : "'/'";
            out.corrections.push_back("removed the spaces around " + around + " in '" + original +
                                      "', giving '" + word + "'");
        }
        out.words.push_back(word);
        word.clear();
        original.clear();
        glued = false;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ') {
            const bool nextJoins = i + 1 < text.size() && isJoiner(text[i + 1]);
            const bool prevJoins = i > 0 && isJoiner(text[i - 1]);
            if (nextJoins || prevJoins) {
                glued = true;
                original += c;
                continue;
            }
            finishWord();
            continue;
        }
        word += c;
        original += c;
    }
    finishWord();
}

} // namespace

Result<MarkingWords> MarkingTokenizer::tokenize(std::string_view text)
{
    MarkingWords result;
    std::string spaced; // ASCII, capitals, every kind of whitespace as ' '
    bool lowered = false;
    bool tab = false;
    std::vector<std::string> spaceFixes;
    std::vector<std::string> hyphenFixes;
    size_t position = 0; // 1-based character (code point) position, for messages
    for (size_t pos = 0; pos < text.size();) {
        const auto decoded = decodeUtf8(text, pos);
        if (!decoded) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned char>(text[pos]));
            return makeError("marking.invalid_utf8",
                             "the marking is not valid UTF-8 text: byte " + std::string(buf) +
                                 " at byte " + std::to_string(pos + 1) +
                                 " does not start a complete character; enter the marking as "
                                 "plain text");
        }
        pos += decoded->length;
        ++position;
        const char32_t cp = decoded->cp;
        if (cp >= 'a' && cp <= 'z') {
            spaced += static_cast<char>(cp - 'a' + 'A');
            lowered = true;
        } else if (cp == '\t') {
            spaced += ' ';
            tab = true;
        } else if (isControl(cp)) {
            return makeError("marking.control_character",
                             "control character " + codePointName(cp) + " at position " +
                                 std::to_string(position) +
                                 " is not allowed; a marking is a single line of text");
        } else if (isOtherSpace(cp)) {
            spaced += ' ';
            addOnce(spaceFixes,
                    "replaced the " +
                        std::string(cp == 0x00A0 ? "non-breaking space " : "special space ") +
                        codePointName(cp) + " with an ordinary space");
        } else if (isLookAlikeHyphen(cp)) {
            spaced += '-';
            addOnce(hyphenFixes,
                    "replaced the look-alike hyphen " + codePointName(cp) + " with '-'");
        } else if (isKept(cp)) {
            spaced += static_cast<char>(cp);
        } else if (cp < 0x80) {
            return makeError("marking.character_not_allowed",
                             "character '" + std::string(1, static_cast<char>(cp)) +
                                 "' at position " + std::to_string(position) + " is not allowed; " +
                                 kAccepted);
        } else {
            // Never echo the character itself: it may be a look-alike letter or a bidi
            // control that makes the message misleading; the code point is unambiguous.
            return makeError("marking.character_not_allowed",
                             "character " + codePointName(cp) + " at position " +
                                 std::to_string(position) + " is not allowed; " + kAccepted);
        }
    }
    if (lowered)
        result.corrections.push_back("wrote the marking in capitals");
    if (tab)
        result.corrections.push_back("replaced tabs with spaces");
    result.corrections.insert(result.corrections.end(), spaceFixes.begin(), spaceFixes.end());
    result.corrections.insert(result.corrections.end(), hyphenFixes.begin(), hyphenFixes.end());
    splitWords(spaced, result);
    return result;
}

} // namespace conclave::classification
