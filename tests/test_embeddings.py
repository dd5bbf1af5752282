"""The batched embedder gives each passage the vector it gets alone, in the order given, and
reads a passage longer than the model's 512 tokens as its beginning. No timed assertions: the
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


def test_a_batch_gives_each_passage_its_own_vector_in_order():
    model = embeddings._get()
    alone = np.vstack([model.passage([text]) for text in PASSAGES])
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
    assert np.allclose(vector, model.passage([cut])[0], atol=1e-5)
