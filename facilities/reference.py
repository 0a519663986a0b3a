"""Reference data shipped with the project: Jakarta's regions (Kemendagri codes, from
`facilities/data/`), the 44 centres and the seven facilities. Loaded by data migrations;
the functions take the model classes so migrations can pass their historical models."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
KELURAHAN_CSV = DATA_DIR / "jakarta_kelurahan.csv"

# "7 Langkah PAS": (code, name_id, name_en, summary_id, summary_en, description_id, description_en)
FACILITIES = [
    (
        "P1",
        "Pendaftaran",
        "Registration",
        "Daftar sebagai anggota JakPreneur — wajib, dan membuka akses ke semua fasilitas.",
        "Join JakPreneur as a member — mandatory, and it opens every other facility.",
        "Pendaftaran sebagai peserta Pengembangan Kewirausahaan Terpadu, secara daring atau di "
        "Pusat JakPreneur kecamatan. Data diri, domisili dan usaha dicatat dan diverifikasi oleh "
        "petugas. Pendaftaran adalah satu-satunya langkah wajib.",
        "Registration as a participant of the Integrated Entrepreneurship Development programme, "
        "online or at the JakPreneur centre of your kecamatan. Staff record and verify your "
        "identity, domicile and business. Registration is the only mandatory step.",
    ),
    (
        "P2",
        "Pelatihan",
        "Training",
        "Kelas kewirausahaan: dasar usaha, produk, pemasaran digital, pembukuan.",
        "Entrepreneurship classes: business basics, product, digital marketing, bookkeeping.",
        "Pelatihan tatap muka dan daring di Pusat JakPreneur: membangun ide usaha, menghitung "
        "harga pokok, kemasan dan merek, pemasaran digital, serta pembukuan sederhana. Peserta "
        "yang hadir menyelesaikan langkah pelatihan.",
        "Classes at the JakPreneur centre and online: shaping a business idea, costing, packaging "
        "and branding, digital marketing and simple bookkeeping. Participants who attend complete "
        "the training step.",
    ),
    (
        "P3",
        "Pendampingan",
        "Mentoring",
        "Didampingi pendamping usaha untuk menyelesaikan masalah usaha Anda.",
        "A business mentor helps you work through your own business questions.",
        "Pendampingan rutin oleh pendamping (mentor) JakPreneur di kecamatan: rencana usaha, "
        "perbaikan produk, persiapan perizinan dan pemasaran, serta konsultasi permodalan.",
        "Regular sessions with a JakPreneur mentor in your kecamatan: business plan, product "
        "improvement, preparing licences and marketing, and advice on financing.",
    ),
    (
        "P4",
        "Perizinan",
        "Licensing",
        "Bantuan mengurus NIB lewat OSS, SPP-IRT/PIRT, sertifikat halal, BPOM, dan merek.",
        "Help obtaining an NIB through OSS, SPP-IRT/PIRT, halal certification, BPOM and trademarks.",
        "Fasilitasi legalitas usaha: Nomor Induk Berusaha (NIB) melalui OSS, Sertifikat Produksi "
        "Pangan Industri Rumah Tangga (SPP-IRT/PIRT), sertifikasi halal, izin edar BPOM, dan "
        "pendaftaran merek (HKI).",
        "Help with the legal side of a business: a business identification number (NIB) through "
        "OSS, the home-industry food permit (SPP-IRT/PIRT), halal certification, BPOM product "
        "registration and trademark registration.",
    ),
    (
        "P5",
        "Pemasaran",
        "Marketing",
        "Kurasi produk (A/B/C), bazar, e-Order, dan e-katalog.",
        "Product curation (grades A/B/C), bazaars, e-Order and e-katalog.",
        "Kurasi produk dengan peringkat A/B/C, keikutsertaan dalam bazar dan pameran, penjualan "
        "melalui e-Order dan e-katalog pengadaan pemerintah, serta kemitraan dengan ritel modern.",
        "Product curation graded A/B/C, places at bazaars and exhibitions, sales through e-Order "
        "and the government procurement e-katalog, and partnerships with modern retail.",
    ),
    (
        "P6",
        "Pelaporan keuangan",
        "Financial reporting",
        "Catat omzet, aset, dan tenaga kerja untuk mengukur usaha naik kelas.",
        "Record turnover, assets and workers to measure how your business grows.",
        "Pelaporan keuangan sederhana secara berkala: omzet, aset dan jumlah tenaga kerja. Laporan "
        "ini menjadi dasar penilaian naik kelas dan syarat pengajuan permodalan.",
        "Simple, regular financial reports: turnover, assets and number of workers. They are the "
        "basis for measuring growth (naik kelas) and for applying for financing.",
    ),
    (
        "P7",
        "Permodalan",
        "Capital",
        "Akses pembiayaan, misalnya kredit mikro Bank DKI.",
        "Access to financing, for example Bank DKI micro-credit.",
        "Fasilitasi akses permodalan dari lembaga keuangan mitra, antara lain kredit usaha mikro "
        "Bank DKI, koperasi, dan program pembiayaan lain yang sesuai dengan kebutuhan usaha.",
        "Access to financing from partner institutions, among them Bank DKI micro-credit, "
        "cooperatives and other financing schemes that fit the business.",
    ),
]


def read_kelurahan_rows() -> list[dict]:
    with KELURAHAN_CSV.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_regions(Kota, Kecamatan, Kelurahan) -> None:
    rows = read_kelurahan_rows()
    kota = {row["kode_kota"]: row["nama_kota"] for row in rows}
    kecamatan = {row["kode_kecamatan"]: (row["nama_kecamatan"], row["kode_kota"]) for row in rows}
    Kota.objects.bulk_create([Kota(code=code, name=name) for code, name in sorted(kota.items())])
    Kecamatan.objects.bulk_create(
        [Kecamatan(code=code, name=name, kota_id=kota_code) for code, (name, kota_code) in sorted(kecamatan.items())]
    )
    Kelurahan.objects.bulk_create(
        [
            Kelurahan(code=row["kode_kelurahan"], name=row["nama_kelurahan"], kecamatan_id=row["kode_kecamatan"])
            for row in rows
        ]
    )


def load_centers(Kecamatan, Center) -> None:
    Center.objects.bulk_create(
        [
            Center(
                kecamatan=kecamatan,
                name=f"JakPreneur Kecamatan {kecamatan.name}",
                address=f"Kantor Kecamatan {kecamatan.name}",
            )
            for kecamatan in Kecamatan.objects.order_by("code")
        ]
    )


def load_facilities(Facility) -> None:
    Facility.objects.bulk_create(
        [
            Facility(
                code=code,
                order=index,
                name_id=name_id,
                name_en=name_en,
                summary_id=summary_id,
                summary_en=summary_en,
                description_id=description_id,
                description_en=description_en,
            )
            for index, (code, name_id, name_en, summary_id, summary_en, description_id, description_en) in enumerate(
                FACILITIES, start=1
            )
        ]
    )
