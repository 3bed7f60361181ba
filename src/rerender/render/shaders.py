"""GLSL 3.30 sources: sphere impostors for points, capsule ribbons for lines, lit meshes.

Points and lines are one camera-facing quad per instance, expanded in the vertex shader, so a thousand
points cost a thousand quads rather than a thousand tessellated spheres; the fragment shader intersects the
view ray with the true sphere (or measures the distance to the segment), which gives an exact silhouette,
a correct depth where shapes cross, and an anti-aliased edge without MSAA (4x MSAA costs four times the
fill and a resolve on llvmpipe). Colors are sRGB in and out; shading factors apply in linear light
(sRGB here is the 2.2 power law).

Shared uniforms, set by the renderer per frame (u_model, u_model_scale per visual):
  u_model                the visual's entity-local -> world transform (visuals keep local coordinates)
  u_model_scale          its uniform scale, which scales radii given in scene units
  u_view, u_proj         world->view and view->clip (the clip's y is flipped so rows read back top first)
  u_world_per_px         world size of one pixel at view depth 1 (2 tan(fov_y / 2) / height)
  u_px_per_ui            pixels per UI point (negative radii are UI points), at least u_min_px on screen
"""

from __future__ import annotations

_COMMON = """
#version 330 core
uniform mat4 u_model;
uniform float u_model_scale;
uniform mat4 u_view;
uniform mat4 u_proj;
uniform float u_world_per_px;
uniform float u_px_per_ui;
uniform float u_min_px;

// Radii >= 0 are world units; < 0 are UI points, sized at view depth `depth` and never under u_min_px.
float world_radius(float radius, float depth) {
    if (radius >= 0.0) return radius * u_model_scale;
    return max(-radius * u_px_per_ui, u_min_px) * depth * u_world_per_px;
}
"""

_POINT_INPUTS = """
layout(location = 0) in vec3 a_center;
layout(location = 1) in float a_radius;
layout(location = 2) in vec4 a_color;
flat out vec3 v_center;   // view space
flat out float v_radius;  // world units
flat out vec4 v_color;

// Sets the outputs; false when the sphere is behind the eye or holds it (then nothing is drawn).
bool sphere(out vec3 c, out float r) {
    c = (u_view * u_model * vec4(a_center, 1.0)).xyz;
    r = world_radius(a_radius, max(-c.z, 1e-6));
    v_center = c;
    v_radius = r;
    v_color = a_color;
    if (-c.z > 0.0 && length(c) > r) return true;
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    return false;
}

// The side in pixels of the sphere's sprite: the silhouette's radius at the center's depth, grown for
// the cone of tangent rays and for the stretch off the view axis (1 / cos of the angle off it, and 5%
// for the ellipse's shift), plus the soft edge (coverage ends half a pixel out).
float sprite_px(vec3 c, float r) {
    float distance = length(c), depth = -c.z;
    float stretch = 1.05 * distance / depth;
    float silhouette = r * distance / sqrt(distance * distance - r * r) / (depth * u_world_per_px);
    return 2.0 * (silhouette * stretch + 0.75);
}

// Points whose sprite would be bigger than this are drawn as quads instead (sprites have a maximum
// size); the sprite pass and the quad pass each skip the other's points.
uniform float u_max_sprite_px;
"""

# Small points: one GL point (a screen-aligned square sprite) each, one vertex to shade instead of four.
POINTS_SPRITE_VERTEX = (
    _COMMON
    + _POINT_INPUTS
    + """
void main() {
    vec3 c;
    float r;
    if (!sphere(c, r)) {
        gl_PointSize = 0.0;
        return;
    }
    float size = sprite_px(c, r);
    if (!(size <= u_max_sprite_px)) {  // a quad draws it (or it is not finite)
        gl_PointSize = 0.0;
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        return;
    }
    gl_PointSize = size;
    gl_Position = u_proj * vec4(c, 1.0);
}
"""
)

# Large points (sprites have a maximum size): a camera-facing quad through the center, instanced.
POINTS_QUAD_VERTEX = (
    _COMMON
    + _POINT_INPUTS
    + """
void main() {
    vec3 c;
    float r;
    if (!sphere(c, r)) return;
    if (sprite_px(c, r) <= u_max_sprite_px) {  // a sprite draws it
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        return;
    }
    vec2 corner = vec2(float(gl_VertexID & 1) * 2.0 - 1.0, float((gl_VertexID >> 1) & 1) * 2.0 - 1.0);
    float distance = length(c);
    vec3 toward = c / distance;
    vec3 helper = abs(toward.y) < 0.99 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0);
    vec3 right = normalize(cross(toward, helper));
    vec3 up = cross(right, toward);
    // Wide enough to hold the silhouette cone plus a pixel.
    float extent = r * distance / sqrt(distance * distance - r * r) + distance * u_world_per_px;
    gl_Position = u_proj * vec4(c + (right * corner.x + up * corner.y) * extent, 1.0);
}
"""
)

# Points are drawn without sorting, in two passes over the same buffer: u_pass 1 draws the fully covered
# fragments (opaque, depth written), u_pass 2 the anti-aliased fringe blended over them with depth
# writes off, so a fringe never hides what is behind it; 0 draws both at once.
POINTS_FRAGMENT = (
    _COMMON
    + """
uniform vec2 u_viewport;
uniform int u_pass;
flat in vec3 v_center;
flat in float v_radius;
flat in vec4 v_color;
out vec4 frag_color;

void main() {
    // The view ray through this pixel: ndc = P00·x/-z - P02 (a Pinhole's principal point shifts it by
    // P02, P12), so at z = -1, x = (ndc + P02) / P00; the projection's y flip is undone the same way.
    vec2 ndc = gl_FragCoord.xy / u_viewport * 2.0 - 1.0;
    vec2 shift = vec2(u_proj[2][0], u_proj[2][1]);
    vec3 ray = normalize(vec3((ndc + shift) / vec2(u_proj[0][0], u_proj[1][1]), -1.0));
    float along = dot(ray, v_center);                          // ray parameter closest to the center
    float miss = sqrt(max(dot(v_center, v_center) - along * along, 0.0));  // ray-to-center distance
    float px = along * u_world_per_px;                         // world size of a pixel there
    float coverage = clamp((v_radius - miss) / px + 0.5, 0.0, 1.0);
    if (coverage <= 0.0 || (u_pass == 1 && coverage < 1.0) || (u_pass == 2 && coverage >= 1.0)) discard;
    float inside = sqrt(max(v_radius * v_radius - miss * miss, 0.0));
    vec3 hit = ray * (along - inside);
    // Rerun's point shading: a radial gradient, brightest facing the eye (d/r = distance from the disc's
    // center over the radius, which is the sine of the angle between the normal and the view ray).
    float d_over_r = clamp(miss / v_radius, 0.0, 1.0);
    float shade = max(0.4, sqrt(1.2 - d_over_r));
    // Alpha darkens points rather than making them see-through, as in Rerun. Scaling linear light by k
    // scales sRGB by k^(1/2.2): one scalar pow instead of two vec3 conversions per fragment (the
    // framebuffer clamps what goes over 1, as a linear-light clamp would).
    frag_color = vec4(v_color.rgb * pow(v_color.a * shade, 1.0 / 2.2), coverage);
    vec4 clip = u_proj * vec4(hit, 1.0);
    gl_FragDepth = clip.z / clip.w * 0.5 + 0.5;
}
"""
)

LINES_VERTEX = (
    _COMMON
    + """
layout(location = 0) in vec3 a_start;
layout(location = 1) in vec3 a_end;
layout(location = 2) in float a_radius;
layout(location = 3) in vec4 a_color;
out vec2 v_local;         // (along the segment from its start, across it), world units
flat out float v_length;
flat out float v_radius;
out float v_px;           // world size of one pixel here
flat out vec4 v_color;

void main() {
    vec3 a = (u_view * u_model * vec4(a_start, 1.0)).xyz;
    vec3 b = (u_view * u_model * vec4(a_end, 1.0)).xyz;
    float end = float(gl_VertexID & 1);
    float side = float((gl_VertexID >> 1) & 1) * 2.0 - 1.0;
    vec3 p = mix(a, b, end);
    float depth = max(-p.z, 1e-6);
    // UI radii are sized at the nearer end, so the whole segment keeps one width on screen.
    float r = world_radius(a_radius, max(min(-a.z, -b.z), 1e-6));
    float px = depth * u_world_per_px;
    // The quad spans the segment as seen: along its axis without the part along the line of sight
    // (`len`, its length in the fragment shader's frame), so that a segment seen end-on is a disk.
    vec3 mid = 0.5 * (a + b);
    vec3 sight = length(mid) > 1e-12 ? normalize(mid) : vec3(0.0, 0.0, -1.0);
    vec3 axis = b - a;
    vec3 seen = axis - dot(axis, sight) * sight;
    float len = length(seen);
    vec3 any_across = abs(sight.y) < 0.9 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0);
    vec3 dir = len > 1e-12 ? seen / len : normalize(cross(sight, any_across));
    vec3 across = normalize(cross(dir, sight));
    // Grow by the radius at both ends (round caps) and by a pixel all round (the anti-aliased edge).
    float grow = r + px;
    vec3 q = p + across * side * grow + dir * (end * 2.0 - 1.0) * grow;
    v_local = vec2(end * len + (end * 2.0 - 1.0) * grow, side * grow);
    v_length = len;
    v_radius = r;
    v_px = px;
    v_color = a_color;
    gl_Position = u_proj * vec4(q, 1.0);
}
"""
)

LINES_FRAGMENT = (
    _COMMON
    + """
in vec2 v_local;
flat in float v_length;
flat in float v_radius;
in float v_px;
flat in vec4 v_color;
out vec4 frag_color;

void main() {
    vec2 nearest = vec2(clamp(v_local.x, 0.0, v_length), 0.0);
    float distance = length(v_local - nearest);
    float coverage = clamp((v_radius - distance) / v_px + 0.5, 0.0, 1.0);
    if (coverage <= 0.0) discard;
    frag_color = vec4(v_color.rgb, coverage * v_color.a);
}
"""
)

MESH_VERTEX = (
    _COMMON
    + """
layout(location = 0) in vec3 a_position;
layout(location = 1) in vec3 a_normal;
layout(location = 2) in vec4 a_color;
layout(location = 3) in vec2 a_uv;
out vec3 v_normal;
out vec4 v_color;
out vec2 v_uv;

uniform mat4 u_normal_matrix;  // inverse transpose of u_model (its upper 3x3)

void main() {
    v_normal = mat3(u_normal_matrix) * a_normal;
    v_color = a_color;
    v_uv = a_uv;
    gl_Position = u_proj * u_view * u_model * vec4(a_position, 1.0);
}
"""
)

MESH_FRAGMENT = (
    _COMMON
    + """
uniform bool u_lit;
uniform bool u_textured;
uniform sampler2D u_texture;
in vec3 v_normal;
in vec4 v_color;
in vec2 v_uv;
out vec4 frag_color;

// Rerun's "simple lighting": ambient plus two fixed world-space lights, clamped, no specular.
float lighting(vec3 n) {
    const vec3 key = normalize(vec3(1.0, 2.0, 3.0));
    const vec3 fill = normalize(vec3(-1.0, -3.0, -5.0));
    return min(0.2 + max(dot(n, key), 0.0) + 0.5 * max(dot(n, fill), 0.0), 1.0);
}

void main() {
    vec4 color = v_color;
    if (u_textured) color *= texture(u_texture, v_uv);
    vec3 rgb = color.rgb;
    if (u_lit) {
        vec3 n = normalize(v_normal);
        if (!gl_FrontFacing) n = -n;  // double-sided, as Rerun draws meshes by default
        rgb *= pow(lighting(n), 1.0 / 2.2);  // = to_srgb(to_linear(rgb) * lighting(n)), one pow
    }
    frag_color = vec4(rgb, color.a);
}
"""
)
