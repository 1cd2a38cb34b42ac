"""Server-side SVG charts: drawn without JavaScript, printed as they are shown."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 760, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 16, 56


def sessions_chart(points):
    """
    Sessions per quarter as bars (left axis) and the attendance rate as a line (right
    axis, 0-100%). `points` are sessions_by_quarter rows, oldest first.
    """
    if not points:
        return ""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max(point["sessions"] for point in points) or 1
    step = plot_width / len(points)
    bar = max(2.0, step * 0.6)
    bars, line, labels = [], [], []
    for index, point in enumerate(points):
        x = LEFT + index * step + (step - bar) / 2
        height = plot_height * point["sessions"] / top
        bars.append(
            (
                f"{x:.1f}",
                f"{TOP + plot_height - height:.1f}",
                f"{bar:.1f}",
                f"{height:.1f}",
                point["quarter"].short_label,
                point["sessions"],
            )
        )
        if point["attendance_rate"] is not None:
            y = TOP + plot_height * (1 - float(point["attendance_rate"]) / 100)
            line.append(f"{x + bar / 2:.1f},{y:.1f}")
        if len(points) <= 24 or index % 4 == 0:
            labels.append((f"{x + bar / 2:.1f}", f"{HEIGHT - BOTTOM + 16}", point["quarter"].short_label))
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" aria-labelledby="chart-title">'
        '<title id="chart-title">{}</title>'
        '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text class="axis-label" x="4" y="{}">{}</text>'
        '<text class="axis-label" x="{}" y="{}" text-anchor="end">100%</text>'
        "{}{}{}</svg>",
        WIDTH,
        HEIGHT,
        "Số buổi sinh hoạt và tỷ lệ tham dự theo quý",
        LEFT,
        TOP + plot_height,
        WIDTH - RIGHT,
        TOP + plot_height,
        TOP + 10,
        top,
        WIDTH - 4,
        TOP + 10,
        format_html_join(
            "",
            '<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {} buổi</title></rect>',
            bars,
        ),
        format_html('<polyline class="rate" points="{}"/>', " ".join(line)) if line else mark_safe(""),
        format_html_join("", '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>', labels),
    )
