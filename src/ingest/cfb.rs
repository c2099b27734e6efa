//! A structural check of an OLE compound file (the container of an XLS workbook) before calamine
//! reads it: calamine's reader indexes sectors and FAT entries as the file says, so a damaged or
//! truncated file can make it panic or loop. Every sector chain calamine will follow is walked
//! here first, as calamine walks it, and must stay inside the file and end.

/// End of a sector chain.
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// Sector ids from here on are markers, not sectors.
const RESERVED: u32 = 0xFFFF_FFFA;
/// A DIFAT sector marker; FAT sector lists skip it and everything above.
const DIFSECT: u32 = 0xFFFF_FFFC;
/// Streams smaller than this live in the mini stream.
const MINI_CUTOFF: usize = 4096;
const MINI_SECTOR: usize = 64;
/// The streams calamine reads from an XLS file (found by name, ignoring ASCII case).
const STREAMS: [&str; 4] = ["Workbook", "Book", "\u{5}SummaryInformation", "\u{5}DocumentSummaryInformation"];

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

fn words(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

/// The sectors of a chain as calamine's `get_chain` follows it: from `start`, one sector at a
/// time (each must exist: `id < count`), stopping once `len` bytes are read or at the end of
/// the chain; the next id comes from `fat` (which must hold it). A chain longer than there are
/// sectors loops.
fn chain(start: u32, fat: &[u32], count: usize, unit: usize, len: usize) -> Result<Vec<usize>, &'static str> {
    let mut ids = Vec::new();
    let mut id = start;
    while id != ENDOFCHAIN {
        let i = id as usize;
        if i >= count {
            return Err("a sector chain points past the end of the file");
        }
        ids.push(i);
        if ids.len().saturating_mul(unit) >= len {
            break;
        }
        if ids.len() > count {
            return Err("a sector chain loops");
        }
        id = *fat.get(i).ok_or("a sector chain points past the allocation table")?;
    }
    Ok(ids)
}

/// Checks that calamine can read the compound file `b` without leaving it; returns the workbook
/// stream ("Workbook", else "Book") as calamine reads it, for [`super::biff::check`] (`None`
/// when there is none: calamine then says so).
pub(super) fn check(b: &[u8]) -> Result<Option<Vec<u8>>, &'static str> {
    if b.len() < 512 {
        return Err("the file is shorter than its header");
    }
    let size: usize = match u16_at(b, 30) {
        9 => 512,
        12 => 4096,
        _ => return Err("the sector size is not 512 or 4096 bytes"),
    };
    if u16_at(b, 32) != 6 {
        return Err("the mini sector size is not 64 bytes");
    }
    // Sector k starts at (k + 1) × size: the first sector-sized block is the header.
    let count = (b.len() / size).saturating_sub(1);
    let sector = |i: usize| &b[(i + 1) * size..(i + 2) * size];

    // The allocation table's sectors: 109 in the header, then a chain of DIFAT sectors whose last
    // word is the next DIFAT sector.
    let mut difat: Vec<u32> = words(&b[76..512]).collect();
    let mut id = u32_at(b, 68);
    let mut steps = 0usize;
    while id < RESERVED {
        steps += 1;
        if id as usize >= count || steps > count {
            return Err("the DIFAT chain points past the end of the file or loops");
        }
        difat.extend(words(sector(id as usize)));
        id = difat.pop().unwrap_or(ENDOFCHAIN);
    }
    let mut fat: Vec<u32> = Vec::new();
    for &id in difat.iter().filter(|&&id| id < DIFSECT) {
        if id as usize >= count {
            return Err("the allocation table points past the end of the file");
        }
        fat.extend(words(sector(id as usize)));
    }

    // The directory: 128-byte entries; the first is the root, whose chain is the mini stream.
    let dir_ids = chain(u32_at(b, 48), &fat, count, size, usize::MAX)?;
    let dir: Vec<u8> = dir_ids.iter().flat_map(|&i| sector(i).iter().copied()).collect();
    let mut entries = Vec::new();
    for e in dir.chunks_exact(128) {
        let units: Vec<u16> = e[..64].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        let name: String =
            char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')).take_while(|&c| c != '\0').collect();
        if size == 4096 && u32_at(e, 124) != 0 {
            return Err("a stream is larger than 4 GB");
        }
        entries.push((name, u32_at(e, 116), u32_at(e, 120) as usize));
    }
    let Some(&(_, root_start, root_len)) = entries.first() else { return Ok(None) };

    let mini_fat_len = u32_at(b, 64) as usize;
    // The mini stream lives in the root's stream: its sectors are kept to read mini streams from.
    let (mini_fat, mini_count, root) = if mini_fat_len > 0 {
        if mini_fat_len > count {
            return Err("the mini allocation table is larger than the file");
        }
        let root = chain(root_start, &fat, count, size, root_len)?;
        let mini_bytes = (root.len() * size).min(root_len);
        let ids = chain(u32_at(b, 60), &fat, count, size, mini_fat_len * size)?;
        let mini_fat: Vec<u32> = ids.iter().flat_map(|&i| words(sector(i))).collect();
        (mini_fat, mini_bytes / MINI_SECTOR, root)
    } else {
        (Vec::new(), 0, Vec::new())
    };
    let mut workbook = None;
    for wanted in STREAMS {
        let Some(&(_, start, len)) = entries.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(wanted)) else { continue };
        let mini = len < MINI_CUTOFF;
        let ids = if mini {
            chain(start, &mini_fat, mini_count, MINI_SECTOR, len)?
        } else {
            chain(start, &fat, count, size, len)?
        };
        // calamine reads "Workbook", else "Book": that stream's bytes, for the BIFF check.
        if workbook.is_none() && matches!(wanted, "Workbook" | "Book") {
            // A mini sector is a 64-byte piece of the root's stream.
            let piece = |m: usize| {
                let at = m * MINI_SECTOR;
                &sector(root[at / size])[at % size..at % size + MINI_SECTOR]
            };
            let bytes: Vec<u8> = if mini {
                ids.iter().flat_map(|&m| piece(m).iter().copied()).take(len).collect()
            } else {
                ids.iter().flat_map(|&i| sector(i).iter().copied()).take(len).collect()
            };
            workbook = Some(bytes);
        }
    }
    Ok(workbook)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_stay_inside_and_end() {
        let fat = [1, 2, ENDOFCHAIN, 0];
        assert_eq!(chain(0, &fat, 4, 512, usize::MAX), Ok(vec![0, 1, 2]));
        assert_eq!(chain(0, &fat, 4, 512, 600), Ok(vec![0, 1]), "stops once the length is read");
        assert!(chain(3, &[1, 0, 0, 0], 4, 512, usize::MAX).is_err(), "a loop");
        assert!(chain(5, &fat, 4, 512, 10).is_err(), "past the end");
        assert!(chain(0, &[7], 8, 512, usize::MAX).is_err(), "past the table");
        assert_eq!(chain(ENDOFCHAIN, &fat, 4, 512, 10), Ok(vec![]));
    }
}
