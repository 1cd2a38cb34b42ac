"""
The facts of the seed article, as data.

Source: "Đưa việc học tập và làm theo Bác đi vào nền nếp", a newspaper article from
Đồng Nai province written after 15 March 2024 (the latest date it cites). Names,
titles and numbers are spelled exactly as the article spells them; descriptions are
summaries in our own words. Every row points at the article (SOURCE below).

Where the article leaves something out, the row says so in its note rather than
inventing it: no unit's place in the tree is stated, so each sits directly under
the bloc; no session date is given, so the quarter I/2024 session has none.

Reviewed against shared/seed/study-and-follow-article.vi.txt. Keys are the models'
natural keys; `seeds.services.seed_article` creates what is missing and leaves what
exists alone.
"""

import datetime
from decimal import Decimal

SOURCE = {
    "code": "BAO-DONGNAI-HOC-TAP-LAM-THEO-BAC-2024",
    "kind": "article",
    "title": "Đưa việc học tập và làm theo Bác đi vào nền nếp",
    "publisher": "",
    "published_on": None,
    "date_note": "Sau ngày 15/03/2024 (ngày muộn nhất bài báo nêu); bài không ghi ngày đăng.",
    "location": "Bản lưu của dự án: shared/seed/study-and-follow-article.vi.txt",
    "note": "Bài báo tỉnh Đồng Nai, ảnh: H.Thảo. Bản lưu không ghi tên báo.",
}

PLACEMENT_ASSUMED = (
    "Giả định: bài báo không nêu vị trí của đơn vị trong hệ thống tổ chức, "
    "nên đơn vị được đặt trực thuộc Đảng bộ Khối."
)

# Parents before children.
UNITS = [
    {
        "code": "DBK",
        "name": "Đảng bộ Khối các cơ quan tỉnh",
        "kind": "bloc",
        "parent": None,
        "host_agency": "",
        "note": "",
    },
    {
        "code": "STP",
        "name": "Đảng bộ Sở Tư pháp",
        "kind": "grassroots_committee",
        "parent": "DBK",
        "host_agency": "Sở Tư pháp",
        "note": PLACEMENT_ASSUMED,
    },
    {
        "code": "BDVTU",
        "name": "Chi bộ Ban Dân vận Tỉnh ủy",
        "kind": "grassroots_cell",
        "parent": "DBK",
        "host_agency": "Ban Dân vận Tỉnh ủy",
        "note": PLACEMENT_ASSUMED,
    },
    {
        "code": "KBNN",
        "name": "Đảng bộ Kho bạc Nhà nước tỉnh",
        "kind": "grassroots_committee",
        "parent": "DBK",
        "host_agency": "Kho bạc Nhà nước Đồng Nai",
        "note": PLACEMENT_ASSUMED,
    },
    {
        "code": "HQDN",
        "name": "Đảng bộ Cục Hải quan Đồng Nai",
        "kind": "grassroots_committee",
        "parent": "DBK",
        "host_agency": "Cục Hải quan Đồng Nai",
        "note": PLACEMENT_ASSUMED,
    },
]

# Each official with every title the article gives, in the unit it belongs to.
OFFICIALS = [
    {
        "code": "PHAN-QUANG-TUAN",
        "full_name": "Phan Quang Tuấn",
        "positions": [
            {"unit": "STP", "kind": "party", "title": "Phó bí thư Đảng ủy"},
            {"unit": "STP", "kind": "agency", "title": "Phó giám đốc Sở Tư pháp"},
        ],
    },
    {
        "code": "PHAM-THI-KIM-CHUNG",
        "full_name": "Phạm Thị Kim Chung",
        "positions": [
            {"unit": "BDVTU", "kind": "party", "title": "Bí thư chi bộ"},
            {"unit": "BDVTU", "kind": "agency", "title": "Phó trưởng ban thường trực Ban Dân vận Tỉnh ủy"},
        ],
    },
    {
        "code": "DOAN-THI-THU-THUY",
        "full_name": "Đoàn Thị Thu Thủy",
        "positions": [
            {"unit": "DBK", "kind": "party", "title": "Phó bí thư Đảng ủy Khối các cơ quan tỉnh"},
        ],
    },
]

# In order, so that a directive's `continues` exists before it.
DIRECTIVES = [
    {
        "code": "05-CT/TW",
        "kind": "directive",
        "title": "Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, "
        "đạo đức, phong cách Hồ Chí Minh",
        "issued_by": "Bộ Chính trị",
        "continues": None,
        "note": "",
    },
    {
        "code": "01-KL/TW",
        "kind": "conclusion",
        "title": "Kết luận số 01-KL/TW về tiếp tục thực hiện Chỉ thị số 05-CT/TW",
        "issued_by": "",
        "continues": "05-CT/TW",
        "note": "Đến tháng 3/2024, Đảng bộ Khối đã triển khai thực hiện 3 năm.",
    },
    {
        "code": "NQTW4-XII",
        "kind": "resolution",
        "title": "Nghị quyết Trung ương 4 khóa XII",
        "issued_by": "",
        "continues": None,
        "note": "Một số cấp ủy gắn việc khắc phục hạn chế với Nghị quyết Trung ương 4.",
    },
    {
        "code": "NQTW4-XIII",
        "kind": "resolution",
        "title": "Nghị quyết Trung ương 4 khóa XIII",
        "issued_by": "",
        "continues": None,
        "note": "Một số cấp ủy gắn việc khắc phục hạn chế với Nghị quyết Trung ương 4.",
    },
    {
        "code": "DAN-VAN-KHEO",
        "kind": "movement",
        "title": "Phong trào Dân vận khéo",
        "issued_by": "",
        "continues": "05-CT/TW",
        "note": "Các mô hình học tập và làm theo Bác được gắn với phong trào.",
    },
    {
        "code": "THI-DUA-YEU-NUOC",
        "kind": "movement",
        "title": "Các phong trào thi đua yêu nước của cơ quan, đơn vị",
        "issued_by": "",
        "continues": "05-CT/TW",
        "note": "Các mô hình học tập và làm theo Bác được gắn với phong trào.",
    },
]

THEMES = [
    {
        "year": 2024,
        "quarter": 1,
        "title": "Tư tưởng, đạo đức, phong cách Hồ Chí Minh về văn hóa",
        "directive": "01-KL/TW",
        "description": "Chuyên đề sinh hoạt quý I/2024 của Chi bộ Ban Dân vận Tỉnh ủy.",
    },
]

# The quarter I/2024 thematic session: the article gives the quarter, not the date.
SESSIONS = [
    {
        "unit": "BDVTU",
        "kind": "thematic",
        "date": None,
        "year": 2024,
        "quarter": 1,
        "theme": (2024, 1, "Tư tưởng, đạo đức, phong cách Hồ Chí Minh về văn hóa"),
        "topic": "Tư tưởng, đạo đức, phong cách Hồ Chí Minh về văn hóa",
        "minutes": "Bài báo nêu chuyên đề của quý, không nêu ngày sinh hoạt.",
    },
]

DECLARED_FIGURES = [
    {
        "unit": "BDVTU",
        "metric": "thematic_sessions",
        "value": Decimal("13"),
        "qualifier": "exact",
        "period_start": datetime.date(2021, 1, 1),
        "period_end": datetime.date(2024, 3, 15),
        "directive": "01-KL/TW",
        "note": "13 buổi sinh hoạt chuyên đề về học tập và làm theo Bác, từ năm 2021 đến ngày 15/3/2024.",
    },
    {
        "unit": "BDVTU",
        "metric": "topics_studied",
        "value": Decimal("39"),
        "qualifier": "exact",
        "period_start": datetime.date(2021, 1, 1),
        "period_end": datetime.date(2024, 3, 31),
        "directive": "01-KL/TW",
        "note": (
            "39 chuyên đề sinh hoạt sáng thứ Hai đầu tháng, từ năm 2021 đến tháng 3/2024; "
            "bài báo chỉ nêu tháng, nên lấy ngày cuối tháng làm mốc."
        ),
    },
    {
        "unit": "DBK",
        "metric": "years_of_implementation",
        "value": Decimal("3"),
        "qualifier": "exact",
        "period_start": datetime.date(2021, 1, 1),
        "period_end": datetime.date(2024, 3, 15),
        "directive": "01-KL/TW",
        "note": "3 năm triển khai thực hiện Kết luận số 01-KL/TW trong toàn khối, tính đến thời điểm bài báo.",
    },
]

SERVICE_FIGURES = [
    {
        "unit": "STP",
        "agency": "Sở Tư pháp",
        "period_start": datetime.date(2021, 1, 1),
        "period_end": datetime.date(2024, 3, 13),
        "received": 80000,
        "received_qualifier": "over",
        "carried_over": 776,
        "carried_over_qualifier": "exact",
        "resolved": None,
        "resolved_qualifier": "exact",
        "on_time": 77000,
        "on_time_qualifier": "nearly",
        "on_time_rate": Decimal("98.06"),
        "one_stop_rate": Decimal("100"),
        "one_stop_software": "eGov",
    },
]

OUTREACH = [
    {
        "unit": "STP",
        "channel": "social_media",
        "title": "Đăng tải, chia sẻ bài viết về học tập và làm theo Bác trên mạng xã hội",
        "is_regular": True,
        "description": (
            "Đảng ủy sở chỉ đạo đảng viên, công chức, viên chức thường xuyên đăng và chia sẻ bài viết "
            "từ các trang, cổng thông tin chính thống."
        ),
    },
    {
        "unit": "STP",
        "channel": "website",
        "title": "Bài viết về học tập và làm theo Bác trên Trang thông tin điện tử của Sở Tư pháp",
        "is_regular": True,
        "description": "Đăng tải thường xuyên trên trang thông tin điện tử của sở.",
    },
    {
        "unit": "STP",
        "channel": "bulletin",
        "title": "Chuyên mục học tập và làm theo Bác trong Bản tin tư pháp hàng quý",
        "is_regular": True,
        "description": (
            "Một chuyên mục trong Bản tin tư pháp hàng quý của Hội đồng Phối hợp phổ biến, giáo dục "
            "pháp luật của tỉnh: bài viết về Bác Hồ, câu nói, lời dạy của Người và việc học tập, "
            "làm theo của đảng viên, quần chúng thuộc sở."
        ),
    },
]

INITIATIVES = [
    {
        "unit": "STP",
        "title": "Gắn học tập và làm theo Bác với cải cách thủ tục hành chính",
        "group": "admin_reform",
        "status": "in_practice",
        "description": (
            "Rút ngắn thời gian giải quyết hồ sơ thủ tục hành chính, tăng cường ứng dụng công nghệ "
            "thông tin; kết quả 2021–13/3/2024 nằm trong số liệu giải quyết thủ tục hành chính của sở."
        ),
    },
    {
        "unit": "BDVTU",
        "title": "Sinh hoạt học tập và làm theo Bác vào sáng thứ Hai tuần đầu tiên của tháng",
        "group": "party_building",
        "status": "in_practice",
        "description": (
            "Duy trì hằng tháng, theo chuyên đề từng năm, qua các câu chuyện, bài viết, tấm gương "
            "làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."
        ),
    },
    {
        "unit": "KBNN",
        "title": "Lãnh đạo Kho bạc Nhà nước Đồng Nai xây dựng cơ quan văn minh, có đời sống văn hóa tốt",
        "group": "leadership_duty",
        "status": "in_practice",
        "description": (
            "Mô hình học tập và làm theo Bác của Đảng bộ Kho bạc Nhà nước tỉnh. Nhóm do dự án xếp "
            "(trách nhiệm của người đứng đầu); bài báo không phân nhóm."
        ),
    },
    {
        "unit": "HQDN",
        "title": "Cán bộ công chức ngành hải quan “kỷ cương - chuyên nghiệp - sáng tạo”",
        "group": "admin_reform",
        "status": "in_practice",
        "description": (
            "Mô hình của Đảng bộ Cục Hải quan Đồng Nai, gắn với triển khai hải quan số, hải quan "
            "thông minh. Nhóm do dự án xếp (cải cách hành chính); bài báo không phân nhóm."
        ),
    },
    # Practices the bloc carries out across its units.
    {
        "unit": "DBK",
        "title": "Sinh hoạt định kỳ hằng tháng có tự phê bình và phê bình, kiểm điểm việc học tập và làm theo Bác",
        "group": "party_building",
        "status": "in_practice",
        "description": (
            "Trong sinh hoạt định kỳ hằng tháng, các chi bộ dành thời gian tự phê bình và phê bình, "
            "kiểm điểm việc học tập và làm theo Bác và bàn giải pháp thực hiện nhiệm vụ chính trị."
        ),
    },
    {
        "unit": "DBK",
        "title": "Gắn học tập và làm theo Bác với đánh giá, xếp loại cán bộ, công chức hằng năm",
        "group": "leadership_duty",
        "status": "in_practice",
        "description": "Kết quả học tập và làm theo Bác là một nội dung khi đánh giá, xếp loại cán bộ hằng năm.",
    },
    {
        "unit": "DBK",
        "title": "Đưa nội dung tư tưởng, đạo đức, phong cách Hồ Chí Minh vào các lớp bồi dưỡng lý luận chính trị",
        "group": "propaganda",
        "status": "in_practice",
        "description": (
            "Ban Tuyên giáo Đảng ủy Khối biên soạn, bổ sung nội dung vào chương trình các lớp bồi "
            "dưỡng lý luận chính trị cho đối tượng Đảng, đảng viên mới và các lớp cập nhật kiến thức "
            "cho cán bộ, đảng viên trong khối."
        ),
    },
]
