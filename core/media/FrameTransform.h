// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The GObject side of Conclave's frame transforms (SFrame encrypt and decrypt): a
// GstBaseTransform over encoded frames (FrameCodec caps on both pads, never in place, never
// passthrough) whose C++ state lives with the instance. Internal to core/media.

#include "media/FrameCodec.h"
#include "media/GObjectSupport.h"

#include <gst/base/gstbasetransform.h>

namespace conclave::media {

template <typename State>
class FrameTransform {
public:
    struct Spec {
        const char* typeName;
        const char* longName;
        const char* classification;
        const char* description;
        gboolean (*transformSize)(GstBaseTransform*, GstPadDirection, GstCaps*, gsize, GstCaps*,
                                  gsize*);
        gboolean (*setCaps)(GstBaseTransform*, GstCaps*, GstCaps*);
        GstFlowReturn (*transform)(GstBaseTransform*, GstBuffer*, GstBuffer*);
    };

    /// Registers the type once (the spec of the first call counts).
    static GType type(const Spec& spec)
    {
        static const GType id = [&spec] {
            s_spec = spec;
            return registerType<Instance, Class>(GST_TYPE_BASE_TRANSFORM, spec.typeName, classInit,
                                                 instanceInit);
        }();
        return id;
    }

    static State& of(gpointer instance) { return *static_cast<Instance*>(instance)->state; }

    /// The state of `element` if it is an instance of `type`, else nullptr.
    static State* ofElement(GstElement* element, GType type)
    {
        if (!element || !G_TYPE_CHECK_INSTANCE_TYPE(element, type))
            return nullptr;
        return &of(element);
    }

private:
    struct Instance {
        GstBaseTransform parent;
        State* state;
    };
    struct Class {
        GstBaseTransformClass parent;
    };

    static void finalize(GObject* object)
    {
        delete static_cast<Instance*>(static_cast<void*>(object))->state;
        G_OBJECT_CLASS(s_parent)->finalize(object);
    }

    static void classInit(gpointer klass, gpointer)
    {
        s_parent = static_cast<GstBaseTransformClass*>(g_type_class_peek_parent(klass));
        static_cast<GObjectClass*>(klass)->finalize = finalize;
        auto* elementClass = static_cast<GstElementClass*>(klass);
        gst_element_class_set_static_metadata(elementClass, s_spec.longName, s_spec.classification,
                                              s_spec.description, "Conclave");
        addFramePadTemplates(elementClass);
        auto* transformClass = static_cast<GstBaseTransformClass*>(klass);
        transformClass->transform_size = s_spec.transformSize;
        transformClass->set_caps = s_spec.setCaps;
        transformClass->transform = s_spec.transform;
        transformClass->passthrough_on_same_caps = FALSE;
    }

    static void instanceInit(GTypeInstance* instance, gpointer)
    {
        auto* self = reinterpret_cast<Instance*>(instance);
        self->state = new State;
        // The output size differs from the input's: never in place, never passed through.
        gst_base_transform_set_passthrough(&self->parent, FALSE);
        gst_base_transform_set_in_place(&self->parent, FALSE);
    }

    static inline Spec s_spec{};
    static inline GstBaseTransformClass* s_parent = nullptr;
};

} // namespace conclave::media
