"""Demo content: each demo commune's NQ57 section, written, reviewed and published through the
real services, as the commune's editor and approver would (create → submit → approve by the
approver → ``portal.publishing.item_publish``). Pictures are made here with Pillow (an
infographic with text, a photo-like banner) and uploaded to the library through
``media.services.asset_upload``; the directive document's file is a real .docx. Per commune:
five items published, one scheduled to go live in three days, one waiting for review.
Running it again changes nothing."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from lantoa.activities.services import tasks_for_unit
from lantoa.content import services as content_services
from lantoa.content.choices import ContentKind, ReviewDecision
from lantoa.content.models import ContentItem
from lantoa.media import services as media_services
from lantoa.media.choices import Licence
from lantoa.orgs.models import OrgUnit, User
from lantoa.portal.publishing import item_publish

FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
)

# (unit code, account suffix, the commune's name in a sentence, its people's place)
COMMUNES = [
    ("25405", "bombo", "xã Bom Bo", "Bom Bo"),
    ("26104", "xuanlap", "phường Xuân Lập", "Xuân Lập"),
]


@dataclass
class DemoItem:
    kind: str
    title: str
    summary: str
    body: str
    state: str = "published"  # published | scheduled | review
    picture: str = ""  # "infographic" | "photo": a picture from the library as the cover
    document_number: str = ""
    document_date: datetime.date | None = None
    attach_docx: list[str] = field(default_factory=list)


def _items(place: str, short: str, year: int) -> list[DemoItem]:
    upper = place[0].upper() + place[1:]
    return [
        DemoItem(
            ContentKind.NEWS,
            f"{upper} tập huấn kỹ năng số cho cán bộ, công chức",
            f"Hơn 60 cán bộ, công chức {place} được hướng dẫn sử dụng dịch vụ công trực tuyến, "
            "chữ ký số và bảo đảm an toàn thông tin.",
            f"<p>Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị, UBND {place} tổ chức lớp tập "
            "huấn kỹ năng số cho 62 cán bộ, công chức và người hoạt động không chuyên trách.</p>"
            "<p>Học viên được hướng dẫn sử dụng chữ ký số trên văn bản điện tử, tiếp nhận và "
            "giải quyết hồ sơ trên Cổng dịch vụ công quốc gia, nhận diện tin nhắn lừa đảo và "
            "bảo vệ tài khoản công vụ.</p>"
            "<p>Lớp tập huấn do giảng viên của Sở Khoa học và Công nghệ hướng dẫn, kéo dài hai "
            "ngày tại hội trường UBND. Sau lớp học, mỗi học viên thực hành nộp một hồ sơ trực "
            "tuyến mẫu.</p>",
            picture="photo",
        ),
        DemoItem(
            ContentKind.DIRECTIVE,
            f"Chỉ thị về đẩy mạnh chuyển đổi số và truyền thông Nghị quyết 57-NQ/TW trên địa bàn "
            f"{place}",
            "Chủ tịch UBND yêu cầu các bộ phận, thôn, ấp duy trì chuyên mục NQ57 và hoàn thành "
            "tuyên truyền đến 100 % cán bộ trong năm.",
            f"<p>Chủ tịch UBND {place} chỉ thị các phòng, ban, đơn vị và các thôn, ấp, khu phố "
            "thực hiện nghiêm các nhiệm vụ sau:</p>"
            "<ol><li>Duy trì chuyên mục “Nghị quyết 57” trên trang thông tin điện tử, cập nhật "
            "tin, bài ít nhất mỗi tuần một lần.</li>"
            "<li>Tuyên truyền, phổ biến Nghị quyết đến 100 % cán bộ, công chức, viên chức trước "
            f"ngày 31/12/{year}.</li>"
            "<li>Mỗi thôn, ấp thành lập một tổ công nghệ số cộng đồng hướng dẫn người dân dùng "
            "dịch vụ công trực tuyến.</li></ol>",
            document_number="05/CT-UBND",
            document_date=datetime.date(year, 3, 10),
            attach_docx=[
                f"ỦY BAN NHÂN DÂN {short.upper()}",
                "Số: 05/CT-UBND",
                "CHỈ THỊ",
                "Về đẩy mạnh chuyển đổi số và truyền thông Nghị quyết số 57-NQ/TW",
                "1. Duy trì chuyên mục Nghị quyết 57 trên trang thông tin điện tử của UBND, cập "
                "nhật tin, bài ít nhất mỗi tuần một lần.",
                "2. Tuyên truyền, phổ biến Nghị quyết đến 100% cán bộ, công chức, viên chức.",
                "3. Văn phòng HĐND và UBND là đầu mối tổng hợp, báo cáo kết quả về UBND trước "
                "ngày 05 tháng 12 hằng năm.",
                "CHỦ TỊCH",
            ],
        ),
        DemoItem(
            ContentKind.NEWSLETTER,
            f"Bản tin điện tử Nghị quyết 57 {place} – số 1",
            "Bản tin tổng hợp các hoạt động khoa học, công nghệ, đổi mới sáng tạo và chuyển "
            "đổi số của địa phương trong tháng.",
            "<h2>Trong số này</h2><ul><li>Tập huấn kỹ năng số cho cán bộ, công chức.</li>"
            "<li>Ra mắt tổ công nghệ số cộng đồng tại các thôn, ấp.</li>"
            "<li>Hướng dẫn người dân thanh toán không dùng tiền mặt khi nộp thuế, phí.</li></ul>"
            f"<p>Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến tại {place} đạt 78 % trong "
            "tháng, tăng 12 điểm phần trăm so với quý trước.</p>",
        ),
        DemoItem(
            ContentKind.INFOGRAPHIC,
            "Infographic: Nghị quyết 57-NQ/TW trong một trang",
            "Năm trụ cột đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi "
            "số quốc gia đến năm 2030.",
            "<p>Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị xác định khoa học, công "
            "nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu.</p>"
            "<p>Mục tiêu đến năm 2030: kinh tế số đạt tối thiểu 30 % GDP; tỷ lệ người dân sử "
            "dụng dịch vụ công trực tuyến trên 80 %; 100 % cán bộ, công chức được bồi dưỡng kỹ "
            "năng số.</p>",
            picture="infographic",
        ),
        DemoItem(
            ContentKind.ARTICLE,
            f"Tổ công nghệ số cộng đồng: cánh tay nối dài đưa dịch vụ công đến người dân {short}",
            "Mỗi thôn, ấp có một tổ công nghệ số cộng đồng; các thành viên đến từng nhà hướng "
            "dẫn cài đặt ứng dụng VNeID và nộp hồ sơ trực tuyến.",
            f"<p>Sau ba tháng ra mắt, các tổ công nghệ số cộng đồng của {place} đã hướng dẫn "
            "hơn 1.200 lượt người dân kích hoạt tài khoản định danh điện tử mức 2.</p>"
            "<p>Thành viên tổ là đoàn viên thanh niên, công an viên và trưởng thôn. Họ hướng "
            "dẫn bà con đăng ký khai sinh, cấp lại giấy tờ và thanh toán học phí không dùng "
            "tiền mặt ngay tại nhà văn hóa thôn.</p>",
            picture="photo",
        ),
        DemoItem(
            ContentKind.PHOTO_STORY,
            f"Phóng sự ảnh: Ngày hội chuyển đổi số {place}",
            "Người dân trải nghiệm dịch vụ công trực tuyến, thanh toán số và các sản phẩm "
            "OCOP bán trên sàn thương mại điện tử.",
            "<p>Ngày hội có 12 gian trưng bày, giới thiệu dịch vụ công trực tuyến, ví điện tử "
            "và sàn thương mại điện tử cho sản phẩm OCOP của địa phương.</p>",
            state="scheduled",
            picture="infographic",
        ),
        DemoItem(
            ContentKind.NEWS,
            f"Hội nghị quán triệt Nghị quyết 57-NQ/TW tại {place}",
            "Đảng ủy, UBND tổ chức hội nghị quán triệt, triển khai Nghị quyết đến toàn thể "
            "cán bộ, đảng viên.",
            "<p>Hội nghị được tổ chức trực tiếp kết hợp trực tuyến đến các điểm cầu thôn, ấp, "
            "với hơn 150 đại biểu tham dự.</p>",
            state="review",
        ),
    ]


def _font(size: int):
    from PIL import ImageFont

    for path in FONTS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def infographic_png(title: str, lines: list[str]) -> bytes:
    """A small infographic: a title band and figures, as a PNG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (245, 248, 252))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 110), fill=(176, 28, 46))
    draw.text((32, 34), title, font=_font(34), fill=(255, 255, 255))
    colours = [(0, 94, 162), (0, 128, 96), (222, 120, 0), (102, 51, 153)]
    for i, line in enumerate(lines[:4]):
        top = 140 + i * 110
        draw.rounded_rectangle((32, top, 768, top + 90), radius=14, fill=colours[i % 4])
        draw.text((56, top + 26), line, font=_font(28), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def photo_jpeg(caption: str, seed: int) -> bytes:
    """A photo-like banner (a sky, hills, a hall) with a caption, as a JPEG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 540), (120, 170, 220))
    draw = ImageDraw.Draw(image)
    for y in range(0, 300, 6):  # a sky getting lighter
        shade = 150 + y // 4
        draw.rectangle((0, y, 960, y + 6), fill=(shade - 60, shade - 20, min(255, shade + 40)))
    offset = (seed * 97) % 200
    draw.polygon([(0, 380), (220 + offset, 250), (520, 380)], fill=(46, 125, 50))
    draw.polygon([(380, 380), (700 - offset // 2, 230), (960, 380)], fill=(56, 142, 60))
    draw.rectangle((0, 380, 960, 540), fill=(121, 85, 72))
    draw.rectangle((330, 300, 630, 420), fill=(250, 240, 215))
    draw.polygon([(310, 300), (480, 230), (650, 300)], fill=(183, 28, 28))
    draw.rectangle((0, 470, 960, 540), fill=(0, 0, 0))
    draw.text((24, 488), caption, font=_font(26), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()


def directive_docx(lines: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(editor: User, unit: OrgUnit, *, title: str, name: str, data: bytes):
    return media_services.asset_upload(
        actor=editor,
        unit=unit,
        title=title,
        name=name,
        data=data,
        author=f"Bộ phận truyền thông {unit.name}",
        licence=Licence.OWN,
    )


@transaction.atomic
def load_demo_content() -> int:
    """Each demo commune's section, all or nothing (the indexing and the renditions are queued
    for after the commit). Returns how many items were published."""
    published = 0
    now = timezone.now()
    for code, suffix, place, short in COMMUNES:
        unit = OrgUnit.objects.filter(code=code).first()
        editor = User.objects.filter(username=f"editor.{suffix}").first()
        approver = User.objects.filter(username=f"approver.{suffix}").first()
        if unit is None or editor is None or approver is None:
            continue
        if ContentItem.objects.filter(unit=unit).exists():
            continue
        tasks = list(tasks_for_unit(unit).filter(plan__unit=unit).order_by("pk")[:5])
        infographic = _upload(
            editor,
            unit,
            title=f"Infographic Nghị quyết 57 – {short}",
            name="infographic-nq57.png",
            data=infographic_png(
                "Nghị quyết 57-NQ/TW: mục tiêu 2030",
                [
                    "Kinh tế số ≥ 30 % GDP",
                    "Dịch vụ công trực tuyến > 80 %",
                    "100 % cán bộ có kỹ năng số",
                    f"{short}: 78 % hồ sơ nộp trực tuyến",
                ],
            ),
        )
        photo = _upload(
            editor,
            unit,
            title=f"Lớp tập huấn kỹ năng số – {short}",
            name="tap-huan-ky-nang-so.jpg",
            data=photo_jpeg(f"Tập huấn kỹ năng số – {place}", seed=int(code)),
        )
        pictures = {"infographic": infographic, "photo": photo}
        for index, demo in enumerate(_items(place, short, now.year)):
            body = demo.body
            if demo.attach_docx:  # the signed document, from the library, linked in the body
                document = _upload(
                    editor,
                    unit,
                    title=demo.title[:200],
                    name="chi-thi-05-CT-UBND.docx",
                    data=directive_docx(demo.attach_docx),
                )
                body += f'<p><a href="/library/{document.pk}/file/">Tải văn bản (.docx)</a></p>'
            item = content_services.item_create(
                actor=editor,
                unit=unit,
                kind=demo.kind,
                title=demo.title,
                summary=demo.summary,
                body=body,
                tasks=tasks[index % len(tasks) : index % len(tasks) + 1] if tasks else [],
                cover=pictures.get(demo.picture),
                document_number=demo.document_number,
                document_date=demo.document_date,
            )
            content_services.item_submit(actor=editor, item=item)
            if demo.state == "review":
                continue
            content_services.item_review(
                actor=approver, item=item, decision=ReviewDecision.APPROVED
            )
            if demo.state == "scheduled":
                content_services.item_schedule(
                    actor=approver, item=item, go_live_at=now + datetime.timedelta(days=3)
                )
                continue
            item_publish(actor=approver, item=item)
            published += 1
    return published
