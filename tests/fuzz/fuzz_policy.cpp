// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the policy decoders: policy.json content and the one-line key and
// signature files. Any input must give a value or an Error - never a crash, hang or leak -
// and an accepted policy must be internally consistent.
#include "classification/Marking.h"
#include "policy/AuthorityKeyText.h"
#include "policy/PolicyParser.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace conclave;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)policy::authority_text::decodeSignature(text);
    (void)policy::authority_text::decodePublicKey(text);
    (void)policy::authority_text::decodeSecretKey(text);

    auto parsed = policy::PolicyParser::parse(text);
    if (!parsed) {
        if (parsed.error().message.empty())
            __builtin_trap(); // every refusal must say why
        return 0;
    }
    const policy::PolicyDocument& doc = *parsed;
    if (doc.serial == 0 || doc.notAfter <= doc.notBefore || doc.scheme.validationError())
        __builtin_trap();
    for (const auto& backend : doc.backends) {
        if (doc.findBackend(backend.id) != &backend)
            __builtin_trap(); // ids are unique
        if (!doc.scheme.gradeIndex(backend.maxMarking.canonical))
            __builtin_trap(); // max_marking is exactly a grade
        for (const auto& endpoint : backend.endpoints)
            for (const auto& pin : endpoint.spkiSha256)
                if (doc.findBackendByPin(pin) != &backend)
                    __builtin_trap(); // a pin identifies one backend
    }
    return 0;
}
