/** A manager's actions on a whole customer record: merge, export, erase. */
import { section } from './section';

export const customerRecord = section(
  {
    merge: 'Merge another record in…',
    mergeHelp:
      'Find the other record of this same person. Its orders, addresses, feedback and points move here; it keeps its name and says where it went.',
    mergeSearch: 'Name, mobile number or email of the other record',
    mergeOk: 'Merge',
    merged: 'Records merged',
    export: 'Export data',
    erase: 'Erase personal data…',
    eraseTitle: 'Erase the personal data of {{name}}',
    eraseWarning:
      'Name, phone, email, birthday, notes, address book and feedback go, and so do the names, contacts and street addresses on their orders. Orders and amounts stay for the books; points lapse. This cannot be undone. Export the data first if the customer asked for a copy.',
    eraseReason: 'Why (e.g. the customer asked in store on 3 Dec)',
    eraseOk: 'Erase',
    erased: 'Personal data erased',
    erasedNotice: 'This customer’s personal data was erased on request.',
    cancel: 'Cancel',
  },
  {
    merge: '合并另一份档案…',
    mergeHelp: '找到同一个人的另一份档案。它的订单、地址、反馈和积分会转到这里；它保留名字，并注明合并去向。',
    mergeSearch: '另一份档案的姓名、手机号或邮箱',
    mergeOk: '合并',
    merged: '档案已合并',
    export: '导出数据',
    erase: '删除个人信息…',
    eraseTitle: '删除 {{name}} 的个人信息',
    eraseWarning:
      '姓名、电话、邮箱、生日、备注、地址簿和反馈将被删除，订单上的姓名、联系方式和详细地址也会删除。订单和金额保留用于记账；积分作废。此操作不可撤销。顾客如需副本，请先导出数据。',
    eraseReason: '原因（例如：顾客 12 月 3 日在门店提出）',
    eraseOk: '删除',
    erased: '个人信息已删除',
    erasedNotice: '这位顾客的个人信息已应其要求删除。',
    cancel: '取消',
  },
);
