/* Vietnamese texts of the chart toolbar (plotly.js locale "vi").
   plotly.js's own "vi" locale (plotly.js-locales 3.7.0, MIT) has month and day
   names but an empty dictionary; the dictionary below is nrlib's. */
Plotly.register({
  moduleType: 'locale',
  name: 'vi',
  dictionary: {
    'Autoscale': 'Tự động co giãn',
    'Box Select': 'Chọn vùng chữ nhật',
    'Compare data on hover': 'So sánh số liệu khi di chuột',
    'Double-click on legend to isolate one trace': 'Nhấp đúp vào chú giải để chỉ xem một chuỗi',
    'Double-click to zoom back out': 'Nhấp đúp để thu nhỏ lại',
    'Download plot as a PNG': 'Tải biểu đồ (PNG)',
    'Download plot': 'Tải biểu đồ',
    'Lasso Select': 'Chọn tự do',
    'Pan': 'Kéo',
    'Produced with Plotly.js': 'Vẽ bằng Plotly.js',
    'Reset': 'Đặt lại',
    'Reset axes': 'Đặt lại trục',
    'Reset view': 'Đặt lại',
    'Reset views': 'Đặt lại',
    'Show closest data on hover': 'Hiện số liệu gần nhất khi di chuột',
    'Snapshot succeeded': 'Đã lưu ảnh',
    'Sorry, there was a problem downloading your snapshot!': 'Không tải được ảnh biểu đồ',
    'Taking snapshot - this may take a few seconds': 'Đang lưu ảnh, xin chờ vài giây',
    'Toggle Spike Lines': 'Bật/tắt đường gióng',
    'Toggle show closest data on hover': 'Bật/tắt hiện số liệu khi di chuột',
    'Zoom': 'Phóng to vùng chọn',
    'Zoom in': 'Phóng to',
    'Zoom out': 'Thu nhỏ',
    'trace': 'chuỗi',
    'new text': 'chữ mới'
  },
  format: {
    days: ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'],
    shortDays: ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'],
    months: ['Tháng Một', 'Tháng Hai', 'Tháng Ba', 'Tháng Tư', 'Tháng Năm', 'Tháng Sáu',
             'Tháng Bảy', 'Tháng Tám', 'Tháng Chín', 'Tháng Mười', 'Tháng Mười Một', 'Tháng Mười Hai'],
    shortMonths: ['Tháng 1', 'Tháng 2', 'Tháng 3', 'Tháng 4', 'Tháng 5', 'Tháng 6',
                  'Tháng 7', 'Tháng 8', 'Tháng 9', 'Tháng 10', 'Tháng 11', 'Tháng 12'],
    date: '%d/%m/%Y',
    decimal: ',',
    thousands: '.'
  }
});
