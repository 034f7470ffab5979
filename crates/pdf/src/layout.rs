//! A small page layout on top of printpdf's operations: measured text (the embedded font's own
//! advance widths), wrapped paragraphs, tables whose rows wrap and break across pages with the
//! header repeated, rules and vector paths. Everything is black and greys: it prints well on a
//! black-and-white printer.

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, ParsedFont, PdfFontHandle, PdfPage, Point,
    Pt, TextItem,
};

/// Paper sizes, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

pub struct Fonts {
    pub regular: ParsedFont,
    pub bold: ParsedFont,
    pub regular_id: FontId,
    pub bold_id: FontId,
}

/// Text style: size in points, bold or not, grey level (0 black).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub grey: f32,
}

pub const BODY: Style = Style {
    size: 9.5,
    bold: false,
    grey: 0.0,
};
pub const SMALL: Style = Style {
    size: 8.0,
    bold: false,
    grey: 0.35,
};
pub const LABEL: Style = Style {
    size: 8.0,
    bold: true,
    grey: 0.3,
};
pub const H1: Style = Style {
    size: 18.0,
    bold: true,
    grey: 0.0,
};
pub const H2: Style = Style {
    size: 13.0,
    bold: true,
    grey: 0.0,
};

const MARGIN: f32 = 48.0;
const TOP: f32 = 62.0;
const BOTTOM: f32 = 56.0;
const CELL_PAD: f32 = 4.0;

/// One column of a table: its title and share of the width.
pub struct Column<'a> {
    pub title: &'a str,
    pub share: f32,
    pub right: bool,
}

pub struct Writer<'a> {
    fonts: &'a Fonts,
    paper: Paper,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// Distance from the bottom of the page to the next line's top, in points.
    y: f32,
}

impl<'a> Writer<'a> {
    pub fn new(fonts: &'a Fonts, paper: Paper) -> Writer<'a> {
        let mut writer = Writer {
            fonts,
            paper,
            pages: vec![],
            ops: vec![],
            y: 0.0,
        };
        writer.y = writer.top();
        writer
    }

    fn page_height(&self) -> f32 {
        Mm(self.paper.size_mm().1).into_pt().0
    }
    fn page_width(&self) -> f32 {
        Mm(self.paper.size_mm().0).into_pt().0
    }
    fn top(&self) -> f32 {
        self.page_height() - TOP
    }
    pub fn content_width(&self) -> f32 {
        self.page_width() - 2.0 * MARGIN
    }
    pub fn left(&self) -> f32 {
        MARGIN
    }

    fn font(&self, bold: bool) -> (&ParsedFont, &FontId) {
        if bold {
            (&self.fonts.bold, &self.fonts.bold_id)
        } else {
            (&self.fonts.regular, &self.fonts.regular_id)
        }
    }

    /// `text` with every character the font cannot draw replaced by a stand-in ("≥" by ">=",
    /// an unknown sign by "?"), so nothing prints as an empty box.
    pub fn printable(&self, text: &str, bold: bool) -> String {
        let (font, _) = self.font(bold);
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_whitespace() || font.lookup_glyph_index(c as u32).is_some() {
                out.push(c);
                continue;
            }
            out.push_str(match c {
                '≥' => ">=",
                '≤' => "<=",
                '≠' => "!=",
                '≈' => "~",
                '→' => "->",
                '‑' | '‐' | '−' => "-",
                '“' | '”' | '„' => "\"",
                '‘' | '’' => "'",
                _ => "?",
            });
        }
        out
    }

    /// Width of `text` in points.
    pub fn width(&self, text: &str, style: Style) -> f32 {
        self.points(self.units(text, style.bold), style)
    }

    /// Width of `text` in font units: the sum of each character's advance, so the width of two
    /// pieces is the sum of theirs (what lets `wrap` measure each word once).
    fn units(&self, text: &str, bold: bool) -> u32 {
        text.chars().map(|c| self.char_units(c, bold)).sum()
    }

    fn char_units(&self, c: char, bold: bool) -> u32 {
        let (font, _) = self.font(bold);
        font.lookup_glyph_index(c as u32)
            .map_or(u32::from(font.font_metrics.units_per_em / 2), |g| {
                u32::from(font.get_horizontal_advance(g))
            })
    }

    fn points(&self, units: u32, style: Style) -> f32 {
        let (font, _) = self.font(style.bold);
        let per_em = f32::from(font.font_metrics.units_per_em.max(1));
        units as f32 / per_em * style.size
    }

    /// `text` broken into lines no wider than `max` (words kept whole unless one alone is too
    /// wide; line breaks in the text kept). Each word is measured once and the line's width
    /// kept as a sum: measuring the whole line again for every word made long descriptions
    /// quadratic.
    pub fn wrap(&self, text: &str, style: Style, max: f32) -> Vec<String> {
        let text = self.printable(text, style.bold);
        let space = self.units(" ", style.bold);
        let mut lines = vec![];
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_units = 0;
            for word in paragraph.split_whitespace() {
                let word_units = self.units(word, style.bold);
                let candidate = if line.is_empty() {
                    word_units
                } else {
                    line_units + space + word_units
                };
                if self.points(candidate, style) <= max {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_units = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the column is cut where it must be.
                let mut piece = String::new();
                let mut piece_units = 0;
                for c in word.chars() {
                    let c_units = self.char_units(c, style.bold);
                    piece.push(c);
                    piece_units += c_units;
                    if self.points(piece_units, style) > max && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                        piece_units = c_units;
                    }
                }
                line = piece;
                line_units = piece_units;
            }
            lines.push(line);
        }
        lines
    }

    fn line_height(style: Style) -> f32 {
        style.size * 1.35
    }

    /// One line of text with its top-left corner at (x, top).
    pub fn text_at(&mut self, x: f32, top: f32, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        let text = self.printable(text, style.bold);
        let (_, id) = self.font(style.bold);
        let baseline = top - style.size;
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor {
                col: grey(style.grey),
            },
            Op::SetFont {
                font: PdfFontHandle::External(id.clone()),
                size: Pt(style.size),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x),
                    y: Pt(baseline),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(text)],
            },
            Op::EndTextSection,
        ]);
    }

    /// A straight rule from (x1, y1) to (x2, y2).
    pub fn rule(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32, shade: f32) {
        self.ops.extend([
            Op::SetOutlineColor { col: grey(shade) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![point(from.0, from.1), point(to.0, to.1)],
                    is_closed: false,
                },
            },
        ]);
    }

    /// Strokes of (x, y) pairs in 0–1, drawn into the box whose top-left is (x, top).
    pub fn drawing(&mut self, strokes: &[Vec<f64>], x: f32, top: f32, width: f32, height: f32) {
        self.ops.extend([
            Op::SetOutlineColor { col: grey(0.0) },
            Op::SetOutlineThickness { pt: Pt(1.1) },
        ]);
        for stroke in strokes {
            let points: Vec<LinePoint> = stroke
                .chunks_exact(2)
                .map(|p| point(x + p[0] as f32 * width, top - p[1] as f32 * height))
                .collect();
            if points.len() >= 2 {
                self.ops.push(Op::DrawLine {
                    line: Line {
                        points,
                        is_closed: false,
                    },
                });
            }
        }
    }

    /// An image of `pixels` (width, height) drawn `width` × `height` points with its top-left at
    /// (x, top).
    pub fn image(
        &mut self,
        id: printpdf::XObjectId,
        pixels: (usize, usize),
        (x, top): (f32, f32),
        (width, height): (f32, f32),
    ) {
        #[allow(clippy::cast_precision_loss)] // at most 4096 pixels a side: exact
        let (px_w, px_h) = (pixels.0 as f32, pixels.1 as f32);
        // At 72 dpi a pixel is a point: the scales are the printed size in pixels.
        self.ops.push(Op::UseXobject {
            id,
            transform: printpdf::XObjectTransform {
                translate_x: Some(Pt(x)),
                translate_y: Some(Pt(top - height)),
                scale_x: Some(width / px_w),
                scale_y: Some(height / px_h),
                dpi: Some(72.0),
                ..printpdf::XObjectTransform::default()
            },
        });
    }

    /// Moves down to `y` when the next line would start above it.
    pub fn below(&mut self, y: f32) {
        self.y = self.y.min(y);
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(ops);
        self.y = self.top();
    }

    /// Room for `height` points on this page, or a new page.
    pub fn need(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM {
            self.new_page();
            return true;
        }
        false
    }

    pub fn space(&mut self, points: f32) {
        self.y -= points;
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    /// A section title, kept with at least a few lines of what follows.
    pub fn heading(&mut self, text: &str, style: Style) {
        self.need(Self::line_height(style) + 60.0);
        self.space(style.size * 0.6);
        let x = self.left();
        let y = self.y;
        self.text_at(x, y, text, style);
        self.y -= Self::line_height(style) + 2.0;
    }

    /// Wrapped text across the full width.
    pub fn paragraph(&mut self, text: &str, style: Style) {
        let width = self.content_width();
        self.paragraph_at(self.left(), width, text, style);
    }

    pub fn paragraph_at(&mut self, x: f32, width: f32, text: &str, style: Style) {
        for line in self.wrap(text, style, width) {
            self.need(Self::line_height(style));
            let y = self.y;
            self.text_at(x, y, &line, style);
            self.y -= Self::line_height(style);
        }
    }

    /// Label and value pairs in two columns.
    pub fn facts(&mut self, facts: &[(&str, String)]) {
        let label_width = self.content_width() * 0.28;
        for (label, value) in facts {
            let lines = self.wrap(value, BODY, self.content_width() - label_width);
            let height = lines.len().max(1) as f32 * Self::line_height(BODY) + 2.0;
            self.need(height);
            let (x, y) = (self.left(), self.y);
            self.text_at(x, y - 1.0, label, LABEL);
            for (n, line) in lines.iter().enumerate() {
                self.text_at(
                    x + label_width,
                    y - n as f32 * Self::line_height(BODY),
                    line,
                    BODY,
                );
            }
            self.y -= height;
        }
    }

    /// A table; rows wrap within their cells and never split across pages; the header row is
    /// repeated on each page the table continues on.
    pub fn table(&mut self, columns: &[Column<'_>], rows: &[Vec<String>]) {
        let total: f32 = columns.iter().map(|c| c.share).sum();
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| c.share / total * self.content_width())
            .collect();
        let header_height = Self::line_height(LABEL) + 2.0 * CELL_PAD;
        self.need(header_height + 3.0 * Self::line_height(BODY));
        self.table_header(columns, &widths);
        for row in rows {
            let wrapped: Vec<Vec<String>> = row
                .iter()
                .zip(&widths)
                .map(|(cell, width)| self.wrap(cell, BODY, width - 2.0 * CELL_PAD))
                .collect();
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = lines as f32 * Self::line_height(BODY) + 2.0 * CELL_PAD;
            if self.need(height) {
                self.table_header(columns, &widths);
            }
            let mut x = self.left();
            let top = self.y;
            for ((cell, width), column) in wrapped.iter().zip(&widths).zip(columns) {
                for (n, line) in cell.iter().enumerate() {
                    let line_x = if column.right {
                        x + width - CELL_PAD - self.width(line, BODY)
                    } else {
                        x + CELL_PAD
                    };
                    self.text_at(
                        line_x,
                        top - CELL_PAD - n as f32 * Self::line_height(BODY),
                        line,
                        BODY,
                    );
                }
                x += width;
            }
            self.y -= height;
            let (left, right) = (self.left(), self.left() + self.content_width());
            let y = self.y;
            self.rule((left, y), (right, y), 0.4, 0.75);
        }
        self.space(8.0);
    }

    fn table_header(&mut self, columns: &[Column<'_>], widths: &[f32]) {
        let mut x = self.left();
        let top = self.y;
        for (column, width) in columns.iter().zip(widths) {
            let label_x = if column.right {
                x + width - CELL_PAD - self.width(column.title, LABEL)
            } else {
                x + CELL_PAD
            };
            self.text_at(label_x, top - CELL_PAD, column.title, LABEL);
            x += width;
        }
        self.y -= Self::line_height(LABEL) + 2.0 * CELL_PAD;
        let (left, right) = (self.left(), self.left() + self.content_width());
        let y = self.y;
        self.rule((left, y), (right, y), 0.9, 0.0);
    }

    /// The pages, each with the running head (`head`) and foot (`foot` then "page X of Y").
    pub fn finish(
        mut self,
        head: &str,
        foot: &str,
        page_label: impl Fn(usize, usize) -> String,
    ) -> Vec<PdfPage> {
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let (width_mm, height_mm) = self.paper.size_mm();
        let total = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        let (left, right) = (self.left(), self.left() + self.content_width());
        let top = self.page_height() - 30.0;
        pages
            .into_iter()
            .enumerate()
            .map(|(index, body)| {
                self.ops = body;
                self.text_at(left, top, head, SMALL);
                self.rule((left, top - 13.0), (right, top - 13.0), 0.5, 0.6);
                self.rule((left, 42.0), (right, 42.0), 0.5, 0.6);
                self.text_at(left, 36.0, foot, SMALL);
                let label = page_label(index + 1, total);
                let x = right - self.width(&label, SMALL);
                self.text_at(x, 36.0, &label, SMALL);
                PdfPage::new(Mm(width_mm), Mm(height_mm), std::mem::take(&mut self.ops))
            })
            .collect()
    }
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: level,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}
